import Glibc
import Uring

extension RingExecutor {
    /// A completion standing in for one that never came because the executor
    /// shut down: `-ECANCELED`, with a user data no operation has.
    static var shutDownCompletion: Completion {
        Completion(CompletionQueueEntry(userData: OperationSlots.ignoredUserData, result: -ECANCELED, flags: 0))
    }

    /// Hands `completion` to `waiter` as its final one.
    static func deliver(_ completion: Completion, to waiter: Waiter) {
        switch waiter {
        case .once(let continuation): continuation.resume(returning: completion)
        case .stream(let sink): sink.receive(completion, final: true)
        case .batch(let batch): batch._withUnsafeGuaranteedRef { $0.finishRemaining(with: completion) }
        }
    }

    /// Delivers the completions that are ready, at most a completion queue's worth
    /// per turn; notes when the wake pipe's read has completed.
    func dispatchCompletions(wakeArmed: inout Bool) {
        guard let ring = loop.ring else { return }
        // Bounded, so a flood of completions (a multishot timeout of interval zero)
        // still lets the loop serve its inbox and its shutdown deadline each turn.
        _ = try? ring.pointee.forEachCompletion(limit: ring.pointee.completionCapacity) { completion in
            switch completion.userData {
            case OperationSlots.wakeUserData:
                wakeArmed = false
            case OperationSlots.ignoredUserData:
                break
            default:
                switch loop.slots.deliver(completion) {
                case .final(let waiter, let result)?:
                    // An operation that shutdown cancelled says so, not a bare ECANCELED or a timeout.
                    let shutDown = loop.shuttingDown && result.result == -ECANCELED
                    Self.deliver(shutDown ? Self.shutDownCompletion : result, to: waiter)
                case .more(let sink, let completion)?:
                    sink.receive(completion, final: false)
                case .batch(let batch, let position, let completion)?:
                    deliver(completion, toBatch: batch, position: position)
                case nil:
                    break
                }
            }
        }
    }
}
