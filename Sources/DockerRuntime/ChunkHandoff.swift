/// A bounded queue between one producer (the socket reader) and one consumer (whoever iterates a
/// terminal's output). When `capacity` chunks are waiting the producer is suspended, so it stops
/// reading the socket: NIO then stops reading from the kernel, the socket buffers fill and the
/// engine stops reading the pty, so the process itself blocks on write. Memory per terminal stays
/// bounded by capacity × read size instead of growing with a slow consumer.
actor ChunkHandoff<Element: Sendable> {
    private let capacity: Int
    private var buffer: [Element] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var waitingConsumer: CheckedContinuation<Element?, any Error>?
    private var waitingProducer: CheckedContinuation<Bool, Never>?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Hands over one element; suspends while the queue is full. `false` once the consumer is gone.
    func send(_ element: Element) async -> Bool {
        guard !cancelled, !finished else { return false }
        if let consumer = waitingConsumer {
            waitingConsumer = nil
            consumer.resume(returning: element)
            return true
        }
        buffer.append(element)
        guard buffer.count >= capacity else { return true }
        return await withCheckedContinuation { waitingProducer = $0 }
    }

    /// No more elements; the consumer sees the end (or `error`) after the buffered ones.
    func finish(throwing error: (any Error)? = nil) {
        guard !finished else { return }
        finished = true
        failure = cancelled ? nil : error
        if let consumer = waitingConsumer {
            waitingConsumer = nil
            if let failure {
                self.failure = nil
                consumer.resume(throwing: failure)
            } else {
                consumer.resume(returning: nil)
            }
        }
    }

    /// The consumer went away: drop what is buffered, release the producer, end the sequence.
    func cancel() {
        cancelled = true
        buffer.removeAll()
        waitingProducer?.resume(returning: false)
        waitingProducer = nil
        waitingConsumer?.resume(returning: nil)
        waitingConsumer = nil
    }

    func next() async throws -> Element? {
        if !buffer.isEmpty {
            let element = buffer.removeFirst()
            if let producer = waitingProducer {
                waitingProducer = nil
                producer.resume(returning: true)
            }
            return element
        }
        if let failure {
            self.failure = nil
            throw failure
        }
        if finished || cancelled { return nil }
        return try await withCheckedThrowingContinuation { waitingConsumer = $0 }
    }
}
