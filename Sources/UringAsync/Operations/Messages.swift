import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_SENDMSG`, like sendmsg(2) (Linux 5.3): one vectored send of
    /// the bytes `slices` name, in order; the count may be short.
    ///
    /// **Ownership**: every slice's buffer belongs to the kernel until the final
    /// completion, and they come back, whole and in order, with the result.
    /// - Throws: `UringError` `EINVAL` for a slice outside its buffer or more than
    ///   1024 (`UIO_MAXIOV`) slices; `EBUSY` when something else holds a buffer (or one
    ///   buffer appears twice); else with the kernel's errno and operation `sendmsg`.
    nonisolated(nonsending) public func send(
        _ socket: FileDescriptor, from slices: [IOBuffer.Slice], flags: MessageFlags = [], timeout: Duration? = nil
    ) async throws -> (count: Int, buffers: [IOBuffer]) {
        guard slices.count <= 1024 else {  // UIO_MAXIOV
            throw UringError(errno: .invalidArgument, operation: "sendmsg", detail: "\(slices.count) slices; at most 1024 (UIO_MAXIOV)")
        }
        let regions = try slices.map { try Self.region(of: $0, for: .sendmsg) }
        let buffers = slices.map(\.buffer)
        let header = MessageHeader(vectors: slices.count)
        for (index, (buffer, region)) in zip(buffers, regions).enumerated() {
            header.vectors[index] = iovec(iov_base: buffer.memory.baseAddress! + region.lowerBound, iov_len: region.count)
        }
        let total = regions.reduce(0) { $0 + $1.count }
        let count = try await awaitHolding(buffers, for: .sendmsg, header: header, timeout: timeout, length: total) {
            // SAFETY: the header and the buffers it points into are held and kept alive until the final completion.
            SendMessage(.descriptor(socket), message: header.message, flags: flags.rawValue)
        }
        return (count, buffers)
    }

    /// `IORING_OP_SEND` to `address` (sendto(2), Linux 6.0): one datagram from
    /// the bytes `slice` names, for an unconnected datagram socket.
    ///
    /// **Ownership**: as ``send(_:from:flags:timeout:)-(_,IOBuffer.Slice,_,_)``.
    /// - Throws: `UringError` with the kernel's errno (`EMSGSIZE` for a datagram
    ///   too large, `ENETUNREACH`, …) and operation `send`.
    nonisolated(nonsending) public func send(
        _ socket: FileDescriptor, from slice: IOBuffer.Slice, to address: SocketAddress, flags: MessageFlags = [],
        timeout: Duration? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let region = try Self.region(of: slice, for: .send)
        let header = MessageHeader(vectors: 0, name: address)
        let count = try await awaitHolding([slice.buffer], for: .send, header: header, timeout: timeout, length: region.count) {
            // SAFETY: the buffer and the address in `header` are kept alive until the final completion.
            Send(
                .descriptor(socket), .plain(UnsafeRawBufferPointer(rebasing: slice.buffer.memory[region])), flags: flags.rawValue,
                to: header.name, destinationLength: address.length)
        }
        return (count, slice.buffer)
    }

    /// `IORING_OP_RECVMSG`, like recvmsg(2) (Linux 5.3): one message of up to
    /// `count` bytes (default: the buffer's capacity), with the sender's address.
    /// A datagram longer than that is cut, and `truncated` says so.
    ///
    /// **Ownership**: as ``receive(_:into:count:flags:timeout:)``.
    /// - Throws: `UringError` with the kernel's errno and operation `recvmsg`.
    nonisolated(nonsending) public func receiveMessage(
        _ socket: FileDescriptor, into buffer: IOBuffer, count: Int? = nil, flags: MessageFlags = [], timeout: Duration? = nil
    ) async throws -> (count: Int, sender: SocketAddress?, truncated: Bool, buffer: IOBuffer) {
        let region = try Self.region(count: count, in: buffer, for: .recvmsg)
        let header = MessageHeader(vectors: 1, receiving: true)
        header.vectors[0] = iovec(iov_base: buffer.memory.baseAddress, iov_len: region.count)
        let received = try await awaitHolding([buffer], for: .recvmsg, header: header, timeout: timeout, length: region.count) {
            // SAFETY: the header and the buffer are held and kept alive until the final completion.
            ReceiveMessage(.descriptor(socket), message: header.message, flags: flags.rawValue)
        }
        return (received, header.sender, header.message.pointee.msg_flags & Int32(MSG_TRUNC) != 0, buffer)
    }

    /// Holds `buffers` (``IOBuffer/lend(to:)``) for the operation `make` builds,
    /// keeps them and `header` alive until its final completion, and gives them
    /// back with its result (not after a shutdown that gave up on it).
    private nonisolated(nonsending) func awaitHolding<Operation: RingOperation>(
        _ buffers: [IOBuffer], for opcode: Opcode, header: MessageHeader, timeout: Duration?, length: Int,
        _ make: () -> Operation
    ) async throws -> Int {
        var held: [IOBuffer] = []
        do {
            for buffer in buffers {
                try buffer.lend(to: opcode)
                held.append(buffer)
            }
        } catch {
            held.forEach { $0.giveBack() }
            throw error
        }
        header.buffers = held
        do {
            let done = try await awaitValue(of: make(), keepAlive: header, timeout: timeout, length: length)
            held.forEach { $0.giveBack() }
            return Int(done)
        } catch let error as UringError where error.detail == Self.shutDownDetail {
            throw error
        } catch {
            held.forEach { $0.giveBack() }
            throw error
        }
    }
}

/// A `msghdr` with its iovecs and address at stable addresses, kept alive with
/// the buffers it points into until the final completion.
final class MessageHeader: @unchecked Sendable {
    let message = UnsafeMutablePointer<msghdr>.allocate(capacity: 1)
    let vectors: UnsafeMutablePointer<iovec>
    private let vectorCount: Int
    private let storage = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: 1)
    /// The buffers the vectors point into.
    var buffers: [IOBuffer] = []

    /// A header of `vectors` iovecs, sending to `name` or receiving a sender's address.
    init(vectors count: Int, name: SocketAddress? = nil, receiving: Bool = false) {
        vectorCount = max(1, count)
        vectors = .allocate(capacity: vectorCount)
        vectors.initialize(repeating: iovec(), count: vectorCount)
        storage.initialize(to: name?.storage ?? sockaddr_storage())
        var header = msghdr()
        header.msg_iov = vectors
        header.msg_iovlen = count
        if receiving || name != nil {
            header.msg_name = UnsafeMutableRawPointer(storage)
            header.msg_namelen = receiving ? socklen_t(MemoryLayout<sockaddr_storage>.size) : name!.length
        }
        message.initialize(to: header)
    }

    /// The address as `sockaddr`.
    var name: UnsafePointer<sockaddr> { UnsafeRawPointer(storage).assumingMemoryBound(to: sockaddr.self) }

    /// The sender a receive filled in; nil when it gave none (a connected stream).
    var sender: SocketAddress? {
        message.pointee.msg_namelen == 0 ? nil : SocketAddress(storage.pointee, length: message.pointee.msg_namelen)
    }

    deinit {
        message.deallocate()
        vectors.deallocate()
        storage.deallocate()
    }
}
