import ArgumentParser
import BreakfixCore
import DockerRuntime
import Dispatch
import Foundation
import Scenarios

#if canImport(Glibc)
    import Glibc
#endif

struct PlayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a scenario in this terminal: a shell in a fresh sandbox, checked when you exit.")

    @Argument(help: "The scenario's slug.")
    var slug: String

    @OptionGroup var library: LibraryOptions

    func run() async throws {
        guard RawTerminal.isInteractive else {
            throw ValidationError("breakfix play needs an interactive terminal; run it from a terminal, not a pipe.")
        }
        guard let loaded = try library.load([slug]).first else { throw ExitCode.failure }
        let bundle: ScenarioBundle
        switch loaded {
        case .success(let b): bundle = b
        case .failure(let error): throw ValidationError(error.description)
        }
        try await Engine.with { runtime in
            try await Self.play(bundle, runtime: runtime)
        }
    }

    static func play(_ bundle: ScenarioBundle, runtime: DockerSandboxRuntime) async throws {
        let scenario = bundle.scenario
        let provisioner = SandboxProvisioner(runtime: runtime)
        let verifier = ScenarioVerifier(provisioner: provisioner, builder: runtime)
        printError("Preparing \(scenario.title)…")
        try await verifier.ensureImage(bundle)
        let session = "play-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let expires = Date().addingTimeInterval(Double(scenario.timeLimitSeconds))
        let id = try await provisioner.provision(
            bundle, session: String(session), expiresAt: expires, extraLabels: ["breakfix.purpose": "play"]
        ) { phase in printError("  \(phase.rawValue)…") }

        // Ctrl-C reaches the sandbox in raw mode; these catch a kill of this process itself.
        let terminal = RawTerminal()
        let signals = [SIGINT, SIGTERM, SIGHUP].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                terminal.restore()
                printError("\nInterrupted: removing the sandbox.")
                let done = DispatchSemaphore(value: 0)
                Task.detached {
                    try? await runtime.destroy(id)
                    done.signal()
                }
                _ = done.wait(timeout: .now() + 15)
                Glibc.exit(130)
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        do {
            print("\n\u{1B}[1m\(scenario.title)\u{1B}[0m  (\(scenario.difficulty.rawValue), \(scenario.timeLimitSeconds / 60) min)\n")
            print(scenario.description)
            print("When you think it is fixed, type `exit`: the check runs then.\n")
            let ready = ContinuousClock.now
            try await attach(id, runtime: runtime, scenario: scenario, terminal: terminal)
            let elapsed = Int((ContinuousClock.now - ready).components.seconds)
            printError("\nChecking…")
            let verdict = try await provisioner.check(id, bundle)
            switch verdict {
            case .solved: print("\u{1B}[32mSolved in \(formatElapsed(elapsed)).\u{1B}[0m")
            case .notSolved(let feedback): print("Not solved yet" + (feedback.map { ": \($0)" } ?? "."))
            case .checkFailed(let reason): print("The check itself failed: \(reason)")
            }
            if !scenario.solutionNotes.isEmpty { print("\nSolution notes:\n\(scenario.solutionNotes)") }
        } catch {
            terminal.restore()
            try? await runtime.destroy(id)
            throw error
        }
        try await runtime.destroy(id)
    }

    /// Connects this terminal to a login shell in the sandbox until the shell exits.
    static func attach(
        _ id: SandboxID, runtime: DockerSandboxRuntime, scenario: Scenario, terminal: RawTerminal
    ) async throws {
        let size = RawTerminal.size()
        let tty = try await runtime.openTerminal(
            id,
            TerminalRequest(
                command: ["/bin/bash", "-l"], user: scenario.user, workingDirectory: scenario.homeDirectory,
                cols: size.cols, rows: size.rows))
        terminal.enable()
        defer { terminal.restore() }

        signal(SIGWINCH, SIG_IGN)
        let winch = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        winch.setEventHandler {
            let size = RawTerminal.size()
            Task { try? await tty.resize(cols: size.cols, rows: size.rows) }
        }
        winch.resume()
        defer { winch.cancel() }

        // A blocking read of stdin needs a thread of its own; this is the CLI, one per process.
        let input = AsyncStream<[UInt8]> { continuation in
            let thread = Thread {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = read(STDIN_FILENO, &buffer, buffer.count)
                    if n <= 0 { break }
                    continuation.yield(Array(buffer[0..<n]))
                }
                continuation.finish()
            }
            thread.start()
        }
        let writer = Task {
            for await chunk in input { try? await tty.write(chunk) }
        }
        defer { writer.cancel() }
        for try await chunk in tty.output {
            chunk.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
        await tty.close()
    }
}
