// A grpc.health.v1 Check load generator for bench/grpc (ghz is not packaged
// in Debian): -concurrency workers share -conns connections and call Check
// back to back for -duration; prints requests/s and latency percentiles as JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"os"
	"sort"
	"sync"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8001", "server address")
	service := flag.String("service", "readiness", "service to Check")
	conns := flag.Int("conns", 4, "connections")
	concurrency := flag.Int("concurrency", 32, "concurrent callers, spread over the connections")
	duration := flag.Duration("duration", 5*time.Second, "how long to load")
	flag.Parse()

	clients := make([]healthpb.HealthClient, *conns)
	for i := range clients {
		conn, err := grpc.Dial(*addr, grpc.WithInsecure(), grpc.WithBlock())
		if err != nil {
			log.Fatal(err)
		}
		defer conn.Close()
		clients[i] = healthpb.NewHealthClient(conn)
	}
	request := &healthpb.HealthCheckRequest{Service: *service}
	// Warm-up: connections established, first calls answered.
	for _, client := range clients {
		if _, err := client.Check(context.Background(), request); err != nil {
			log.Fatal(err)
		}
	}

	var mutex sync.Mutex
	var all []time.Duration
	errors := 0
	var wait sync.WaitGroup
	start := time.Now()
	deadline := start.Add(*duration)
	for worker := 0; worker < *concurrency; worker++ {
		wait.Add(1)
		go func(client healthpb.HealthClient) {
			defer wait.Done()
			latencies := make([]time.Duration, 0, 100000)
			failed := 0
			for time.Now().Before(deadline) {
				began := time.Now()
				reply, err := client.Check(context.Background(), request)
				if err != nil || reply.Status != healthpb.HealthCheckResponse_SERVING {
					failed++
					continue
				}
				latencies = append(latencies, time.Since(began))
			}
			mutex.Lock()
			all = append(all, latencies...)
			errors += failed
			mutex.Unlock()
		}(clients[worker%*conns])
	}
	wait.Wait()
	elapsed := time.Since(start).Seconds()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	percentile := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000
	}
	json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"requests_per_second": float64(len(all)) / elapsed,
		"p50_ms":              percentile(0.50),
		"p99_ms":              percentile(0.99),
		"errors":              errors,
	})
}
