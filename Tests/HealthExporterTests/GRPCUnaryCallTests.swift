import NIOCore
import NIOHPACK
import Testing

@testable import HealthExporter

/// The grpc kind's two protobuf messages and the answer's judgement, without I/O.
@Suite("GRPC check: request bytes, response parsing, verdicts")
struct GRPCUnaryCallTests {
    @Test("the request is a length-prefixed HealthCheckRequest")
    func request() {
        let request = GRPCUnaryRequest(authority: "a:1", scheme: "http", service: "payments", timeout: .seconds(2))
        let bytes = Array(buffer: request.message(allocator: ByteBufferAllocator()))
        #expect(bytes == [0, 0, 0, 0, 10, 0x0A, 8] + Array("payments".utf8))
        let whole = GRPCUnaryRequest(authority: "a:1", scheme: "http", service: "", timeout: .seconds(2))
        #expect(Array(buffer: whole.message(allocator: ByteBufferAllocator())) == [0, 0, 0, 0, 0])
        #expect(request.headers.first(name: "grpc-timeout") == "2000m")
        #expect(request.headers.first(name: ":path") == "/grpc.health.v1.Health/Check")
    }

    @Test("the status field, unknown fields skipped, garbage refused")
    func response() {
        #expect(GRPCUnaryAnswer.servingStatus(in: [0x08, 0x01]) == 1)
        #expect(GRPCUnaryAnswer.servingStatus(in: []) == 0)
        #expect(GRPCUnaryAnswer.servingStatus(in: [0x12, 0x02, 0x41, 0x42, 0x08, 0x02]) == 2, "a length-delimited field 2 is skipped")
        #expect(GRPCUnaryAnswer.servingStatus(in: [0x08]) == nil)
        #expect(GRPCUnaryAnswer.servingStatus(in: [0x12, 0x7F, 0x00]) == nil, "a length past the end")
        #expect(GRPCUnaryAnswer.servingStatus(in: [0x0F]) == nil, "wire type 7")
    }

    @Test("verdicts by gRPC status and serving status", arguments: [
        (0, [0x08, 0x01] as [UInt8], "pass"), (0, [0x08, 0x02], "status"), (0, [0x08, 0x03], "status"), (0, [], "status"),
        (5, [], "status"), (12, [], "protocol"), (16, [], "auth"), (4, [], "timeout"), (13, [], "protocol"),
    ])
    func verdicts(_ grpcStatus: Int, _ message: [UInt8], _ expected: String) {
        let answer = GRPCUnaryAnswer(httpStatus: 200, grpcStatus: grpcStatus, grpcMessage: nil, message: grpcStatus == 0 ? message : nil)
        do {
            try GRPCCheck.judge(answer, target: "grpc a:1")
            #expect(expected == "pass")
        } catch let failure as CheckFailure {
            #expect(failure.reason.rawValue == expected)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("an HTTP status other than 200 is not gRPC")
    func notGRPC() {
        #expect(throws: CheckFailure(.protocol, "grpc a:1: HTTP status 404, not a gRPC answer")) {
            try GRPCCheck.judge(GRPCUnaryAnswer(httpStatus: 404), target: "grpc a:1")
        }
    }
}
