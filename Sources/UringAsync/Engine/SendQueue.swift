import Glibc
import SystemPackage
import Uring

/// Who a ``SendQueue`` reports to, on the ring thread.
package protocol SendQueueOwner: AnyObject {
    /// Every byte of the lent buffer `id` is sent, or the queue dropped it.
    func sent(lent id: UInt16)
    /// An item left the queue (sent or dropped): fewer bytes wait now.
    func sendQueueShrank()
}

/// Sends on one stream socket in order, one `IORING_OP_SEND` at a time, from
/// the ring thread with no task: the completion starts the next send. A short
/// send continues from where it stopped. Ring thread only.
///
/// Items are lent buffers (provided buffers the owner holds until
/// ``SendQueueOwner/sent(lent:)``) or copies, kept in buffers the queue reuses:
/// copies queued behind each other share one buffer and one send, and the
/// queue allocates only while its backlog grows past what it held before.
/// After a failure every item is dropped and later sends are refused.
package final class SendQueue: CompletionSink, @unchecked Sendable {
    private enum Item {
        case lent(UInt16, UnsafeRawBufferPointer)
        /// Index into `copies`.
        case copy(Int)
    }

    /// A buffer that holds copied bytes.
    private struct CopyBuffer {
        var memory: UnsafeMutableRawBufferPointer
        var count = 0
    }

    private let executor: RingExecutor
    private let socket: FileDescriptor
    /// Memory lent items point into (a provided-buffer ring), kept while a send is in flight.
    private let keepAlive: AnyObject?
    private var owner: SendQueueOwner?
    private var items: [Item] = []
    private var head = 0
    /// Bytes of the first item already sent.
    private var sentOfHead = 0
    private var copies: [CopyBuffer] = []
    private var freeCopies: [Int] = []
    private var inFlight: UInt64?
    /// Why the queue stopped: later sends throw it.
    package private(set) var failure: UringError?
    /// Bytes queued and not yet sent.
    package private(set) var backlog = 0

    /// A queue for `socket`; `keepAlive` is the memory lent items point into.
    package init(socket: FileDescriptor, executor: RingExecutor, keepAlive: AnyObject?, owner: SendQueueOwner) {
        self.socket = socket
        self.executor = executor
        self.keepAlive = keepAlive
        self.owner = owner
    }

    deinit {
        for copy in copies { copy.memory.deallocate() }
    }

    /// Whether a send is in flight.
    package var isSending: Bool { inFlight != nil }

    /// Queues the lent buffer `id`'s `bytes`; ``SendQueueOwner/sent(lent:)`` tells when they are sent.
    /// - Throws: the queue's failure.
    package func send(lent id: UInt16, _ bytes: UnsafeRawBufferPointer) throws(UringError) {
        if let failure { throw failure }
        guard !bytes.isEmpty else { return owner?.sent(lent: id) ?? () }
        items.append(.lent(id, bytes))
        backlog += bytes.count
    }

    /// Queues a copy of `bytes`, appended to the last queued copy when no send has taken it yet.
    /// - Throws: the queue's failure.
    package func send(copying bytes: UnsafeRawBufferPointer) throws(UringError) {
        if let failure { throw failure }
        guard !bytes.isEmpty else { return }
        let index: Int
        if case .copy(let last)? = items.last, items.count - 1 > head || (items.count - 1 == head && inFlight == nil && sentOfHead == 0) {
            index = last
        } else {
            index = freeCopies.popLast() ?? newCopy()
            copies[index].count = 0
            items.append(.copy(index))
        }
        append(bytes, to: index)
        backlog += bytes.count
    }

    /// Starts the first queued send unless one is in flight.
    package func flush() {
        guard inFlight == nil, failure == nil, head < items.count else { return }
        let rest = UnsafeRawBufferPointer(rebasing: bytes(of: items[head])[sentOfHead...])
        // SAFETY: lent bytes live in `keepAlive`, held by the slot; copies in `copies`, freed only in deinit.
        let send = Send(.descriptor(socket), .plain(rest), flags: Int32(MSG_NOSIGNAL))
        inFlight = executor.begin(prepared(send), waiter: .stream(self), keepAlive: keepAlive, ticket: 0)
    }

    /// Stops the queue with `error`: cancels the send in flight and drops every item.
    package func cancel(_ error: UringError) {
        if failure == nil { failure = error }
        if let inFlight { executor.requestCancel(userData: inFlight) } else { dropAll() }
    }

    /// Ends the owner's link: no more reports.
    package func detach() { owner = nil }

    func receive(_ completion: Completion, final: Bool) {
        inFlight = nil
        let result = Int(completion.result)
        if failure != nil {
            dropAll()
            return
        }
        let left = bytes(of: items[head]).count - sentOfHead - max(result, 0)
        if result < 0 || (result == 0 && left > 0) {
            failure =
                result < 0
                ? UringError(negatedErrno: completion.result, operation: "send")
                : UringError(errno: .brokenPipe, operation: "send", detail: "the socket took no bytes; \(left) left unsent")
            if completion.userData == OperationSlots.ignoredUserData {
                failure = UringError(errno: .canceled, operation: "send", detail: "the RingExecutor was shut down")
            }
            dropAll()
            return
        }
        backlog -= result
        if left > 0 {
            sentOfHead += result
        } else {
            sentOfHead = 0
            releaseHead()
            owner?.sendQueueShrank()
        }
        flush()
    }

    private func bytes(of item: Item) -> UnsafeRawBufferPointer {
        switch item {
        case .lent(_, let bytes): bytes
        case .copy(let index): UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copies[index].memory)[..<copies[index].count])
        }
    }

    /// Removes the first item and gives back what it holds.
    private func releaseHead() {
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        switch item {
        case .lent(let id, _): owner?.sent(lent: id)
        case .copy(let index): freeCopies.append(index)
        }
    }

    private func dropAll() {
        guard head < items.count else { return }
        while head < items.count { releaseHead() }
        backlog = 0
        sentOfHead = 0
        owner?.sendQueueShrank()
    }

    private func newCopy() -> Int {
        copies.append(CopyBuffer(memory: .allocate(byteCount: 4096, alignment: 16)))
        return copies.count - 1
    }

    private func append(_ bytes: UnsafeRawBufferPointer, to index: Int) {
        let needed = copies[index].count + bytes.count
        if needed > copies[index].memory.count {
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, copies[index].memory.count * 2), alignment: 16)
            grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: copies[index].memory[..<copies[index].count]))
            copies[index].memory.deallocate()
            copies[index].memory = grown
        }
        UnsafeMutableRawBufferPointer(rebasing: copies[index].memory[copies[index].count...]).copyMemory(from: bytes)
        copies[index].count = needed
    }
}
