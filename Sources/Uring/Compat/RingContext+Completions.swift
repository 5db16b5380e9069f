import SystemPackage

extension RingContext {
    /// Submits `operation` alone and waits for its completion (the pattern of every
    /// synchronous wrapper); completions of other operations that arrive meanwhile
    /// are kept for ``waitCompletion()`` and ``peekCompletion()``.
    ///
    /// **Unsafe** for operations that point at memory: keep it valid until this returns.
    /// - Parameters:
    ///   - operation: what to run.
    ///   - name: the operation named in errors; the opcode's ``Opcode/operationName`` by default.
    /// - Returns: the non-negative result.
    /// - Throws: ``UringError`` with the completion's errno, or "closed".
    @discardableResult
    public func perform<Operation: RingOperation>(_ operation: Operation, name: String? = nil) throws(UringError) -> Int32 {
        let results = try performAll([operation], name: name ?? operation.opcode.operationName)
        if results[0] < 0 {
            throw UringError(negatedErrno: results[0], operation: name ?? operation.opcode.operationName)
        }
        return results[0]
    }

    /// Runs `body`, adding the request's path, offset and length to a ``UringError`` it throws.
    func describing<Result>(
        path: FilePath? = nil, offset: UInt64? = nil, length: Int? = nil, _ body: () throws -> Result
    ) throws(UringError) -> Result {
        try UringError.rethrowing {
            do {
                return try body()
            } catch let error as UringError {
                throw error.filling(path: path, offset: offset, length: length)
            }
        }
    }

    /// Submits every operation and waits for all their completions; the raw
    /// results in order (negative for errors). With `linked`, each operation is
    /// linked to the next (`IOSQE_IO_LINK`): one starts when the one before succeeded.
    func performAll<Operation: RingOperation>(_ operations: [Operation], name: String, linked: Bool = false) throws(UringError) -> [Int32] {
        try withRing(name) { ring in
            let first = nextSyncUserData
            nextSyncUserData = first &+ UInt64(operations.count)
            if nextSyncUserData < RingContext.reservedUserData { nextSyncUserData = RingContext.reservedUserData }
            if linked && ring.submissionCapacity - ring.pendingSubmissions < operations.count {
                try ring.submit()  // a chain must reach the kernel in one piece
            }
            for (index, operation) in operations.enumerated() {
                let link: SubmissionFlags = linked && index < operations.count - 1 ? .link : []
                try push(&ring, operation, userData: first &+ UInt64(index), name: name, flags: link)
            }
            var results = [Int32?](repeating: nil, count: operations.count)
            var missing = operations.count
            while missing > 0 {
                try ring.submit(waitingFor: 1)
                while let completion = try ring.nextCompletion() {
                    let index = completion.userData &- first
                    if index < UInt64(operations.count) && results[Int(index)] == nil {
                        results[Int(index)] = completion.result
                        settle(completion)
                        missing -= 1
                    } else {
                        deferred.append(deliver(completion))
                    }
                }
            }
            return results.map { $0! }
        }
    }

    /// Pushes, submitting first when the submission queue is full.
    /// - Throws: ``UringError`` `EBUSY` when it stays full.
    func push<Operation: RingOperation>(
        _ ring: inout Ring, _ operation: Operation, userData: UInt64, name: String, flags: SubmissionFlags = []
    ) throws(UringError) {
        // SAFETY: what `operation` points to outlives its completion: the
        // synchronous wrappers wait for it in the same frame, asynchronous ones
        // park their copies in `owned`, and the pointer variants hand that duty to
        // their caller (their doc comments say so).
        if !ring.push(operation, userData: userData, flags: flags) {
            try ring.submit()
            guard ring.push(operation, userData: userData, flags: flags) else {
                throw UringError(
                    errno: .resourceBusy, operation: name,
                    detail: "the submission queue is full; consume completions and submit")
            }
        }
        inFlight += 1
    }

    /// Counts `completion` off the requests in flight unless more of its request follow.
    func settle(_ completion: Completion) {
        if !completion.flags.contains(.more) { inFlight -= 1 }
    }

    /// Turns a ring completion into what the caller gets, releasing (and for reads
    /// copying out) the memory the context kept for it.
    func deliver(_ completion: Completion) -> RingContextCompletion {
        settle(completion)
        var delivered = RingContextCompletion(userData: completion.userData, result: completion.result, bytes: nil)
        if let buffer = pinned.removeValue(forKey: completion.userData) {
            if buffer.isRead {
                delivered.bytes = Array(buffer.memory.prefix(max(0, Int(completion.result))))
            }
            buffer.release()
        }
        return delivered
    }

    /// Flushes the submission queue (pyuring's `submit`).
    /// - Returns: the number of operations submitted.
    /// - Throws: ``UringError`` for `io_uring_enter`, or "closed".
    @discardableResult
    public func submit() throws(UringError) -> Int {
        try withRing("submit") { try $0.submit() }
    }

    /// Flushes the submission queue and waits until `count` completions are ready
    /// (pyuring's `submit_and_wait`).
    /// - Throws: ``UringError`` for `io_uring_enter`, or "closed".
    @discardableResult
    public func submitAndWait(_ count: Int = 1) throws(UringError) -> Int {
        try withRing("submit_and_wait") { try $0.submit(waitingFor: count) }
    }

    /// Waits for the next completion and consumes it (pyuring's `wait_completion`).
    /// For an owned read the bytes come with it; the context's memory is released.
    /// - Throws: ``UringError`` for `io_uring_enter`, or "closed".
    public func waitCompletion() throws(UringError) -> RingContextCompletion {
        if let kept = takeDeferred() { return kept }
        return try withRing("wait_completion") { ring in
            while true {
                if let completion = try ring.nextCompletion() { return deliver(completion) }
                try ring.submit(waitingFor: 1)
            }
        }
    }

    /// The next completion if one is ready, consumed; nil otherwise (pyuring's `peek_completion`).
    /// - Throws: ``UringError`` for `io_uring_enter`, or "closed".
    public func peekCompletion() throws(UringError) -> RingContextCompletion? {
        if let kept = takeDeferred() { return kept }
        return try withRing("peek_completion") { ring in try ring.nextCompletion().map(deliver) }
    }

    private func takeDeferred() -> RingContextCompletion? {
        guard deferredStart < deferred.count else { return nil }
        let kept = deferred[deferredStart]
        deferredStart += 1
        if deferredStart == deferred.count {
            deferred.removeAll(keepingCapacity: true)
            deferredStart = 0
        }
        return kept
    }
}
