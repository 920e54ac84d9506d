// The reference gRPC health server for bench/grpc: grpc-go's own
// grpc.health.v1 implementation (google.golang.org/grpc/health, Debian's
// golang-google-grpc-dev), serving the same service names as health-exporter.
package main

import (
	"flag"
	"log"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18006", "listen address")
	flag.Parse()
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	server := grpc.NewServer()
	healthServer := health.NewServer()
	for _, name := range []string{"", "readiness", "liveness", "startup", "dep0", "dep1"} {
		healthServer.SetServingStatus(name, healthpb.HealthCheckResponse_SERVING)
	}
	healthpb.RegisterHealthServer(server, healthServer)
	log.Fatal(server.Serve(listener))
}
