import NIOCore
import NIOHTTP1
import NIOPosix

/// Echoes what it reads, flushing once per read burst: SwiftNIO's usual echo.
final class EchoHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Answers every request with `200 OK` and `Hello, World!`, like UringNetExamples' HTTPResponder.
final class PlaintextHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let headers = HTTPHeaders([("Server", "nio"), ("Content-Type", "text/plain"), ("Content-Length", "13")])
    private let body = ByteBuffer(string: "Hello, World!")

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A SwiftNIO server on a group of `threads` event loops, and how to stop it.
struct NIOServer {
    let port: Int
    let stop: () throws -> Void

    /// The `ChannelInboundHandler` echo server.
    static func handlerEcho(threads: Int) throws -> NIOServer {
        try bootstrap(threads: threads) { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(EchoHandler()) }
        }
    }

    /// The NIOHTTP1 plaintext server, with pipelining assistance.
    static func http(threads: Int) throws -> NIOServer {
        try bootstrap(threads: threads) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true)
                try channel.pipeline.syncOperations.addHandler(PlaintextHandler())
            }
        }
    }

    private static func bootstrap(
        threads: Int, _ initializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) throws -> NIOServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer(initializer)
            .bind(host: "127.0.0.1", port: 0).wait()
        return NIOServer(port: channel.localAddress!.port!) {
            try channel.close().wait()
            try group.syncShutdownGracefully()
        }
    }

    /// The `NIOAsyncChannel` echo server: one task per connection, as SwiftNIO's
    /// structured-concurrency guide writes it.
    static func asyncEcho(threads: Int) throws -> NIOServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let server = try blockOn {
            try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: "127.0.0.1", port: 0) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        }
        let port = server.channel.localAddress!.port!
        let serving = Task {
            try await withThrowingDiscardingTaskGroup { connections in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        connections.addTask {
                            try? await connection.executeThenClose { inbound, outbound in
                                for try await bytes in inbound { try await outbound.write(bytes) }
                            }
                        }
                    }
                }
            }
        }
        return NIOServer(port: port) {
            try server.channel.close().wait()
            _ = try? blockOn { try await serving.value }
            try group.syncShutdownGracefully()
        }
    }
}
