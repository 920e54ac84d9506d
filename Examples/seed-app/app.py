"""The seed: the common FastAPI health-check example health-exporter started from.

/health is liveness, /ready is readiness (503 while the database or the
external service is down), and four POST routes simulate failures. Kept as
the original has it, so the sidecar overlay runs the real thing next to
health-exporter; Tests/HealthExporterTests/Fixtures/seed-app.json is its
transcript, and scripts/image-e2e replays it against this app in its image.
"""

import argparse
import logging

import uvicorn
from fastapi import FastAPI, HTTPException

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
logger = logging.getLogger("seed-app")

app = FastAPI()

database_available = True
external_service_available = True


@app.middleware("http")
async def log_requests(request, call_next):
    response = await call_next(request)
    logger.info("%s %s -> %d", request.method, request.url.path, response.status_code)
    return response


@app.get("/")
def root():
    return {"Hello": "World"}


@app.get("/health")
def health():
    return {"status": "up"}


@app.get("/ready")
def ready():
    if not database_available:
        raise HTTPException(status_code=503, detail="Database not available")
    if not external_service_available:
        raise HTTPException(status_code=503, detail="External service not available")
    return {"status": "ready"}


@app.post("/simulate_db_failure")
def simulate_db_failure():
    global database_available
    database_available = False
    return {"message": "Database connection simulated as failed"}


@app.post("/simulate_db_recovery")
def simulate_db_recovery():
    global database_available
    database_available = True
    return {"message": "Database connection simulated as recovered"}


@app.post("/simulate_external_service_failure")
def simulate_external_service_failure():
    global external_service_available
    external_service_available = False
    return {"message": "External service simulated as unavailable"}


@app.post("/simulate_external_service_recovery")
def simulate_external_service_recovery():
    global external_service_available
    external_service_available = True
    return {"message": "External service simulated as available"}


def main():
    parser = argparse.ArgumentParser(description="The seed FastAPI health-check app.")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    arguments = parser.parse_args()
    uvicorn.run(app, host=arguments.host, port=arguments.port, log_level="warning")


if __name__ == "__main__":
    main()
