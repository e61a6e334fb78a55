import BreakfixCore
import Foundation
import Testing

@testable import DockerRuntime

/// Wrong programs of every language: the verdict each must get on the a + b challenge.
struct LanguageCase: Sendable, CustomTestStringConvertible {
    var id: String
    var wrongAnswer: String
    var compileError: String
    var runtimeError: String
    /// The RE detail: a signal name or `exit code N`.
    var runtimeErrorDetail: String
    var timeLimit: String

    var testDescription: String { id }

    static let all: [LanguageCase] = [
        LanguageCase(
            id: "c",
            wrongAnswer:
                "#include <stdio.h>\nint main(void){long long a,b;scanf(\"%lld %lld\",&a,&b);printf(\"%lld\\n\",a+b+1);}\n",
            compileError: "int main(void) { return 0 }\n",
            // An address the compiler cannot know (with a plain null pointer gcc -O2 drops the
            // store as undefined behaviour, measured: the program then exits 0).
            runtimeError:
                "#include <stdio.h>\n#include <stdlib.h>\nint main(void){int *p = (int *)strtol(\"16\", 0, 10); *p = 1; printf(\"%d\\n\", *p);}\n",
            runtimeErrorDetail: "SIGSEGV",
            timeLimit: "int main(void){volatile unsigned long x = 0; for(;;) x++;}\n"),
        LanguageCase(
            id: "cpp",
            wrongAnswer: "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a-b<<\"\\n\";}\n",
            compileError: "#include <iostream>\nint main(){ std::cout << undeclared; }\n",
            runtimeError: "#include <stdexcept>\nint main(){ throw std::runtime_error(\"boom\"); }\n",
            runtimeErrorDetail: "SIGABRT",
            timeLimit: "int main(){volatile unsigned long x = 0; for(;;) x++;}\n"),
        LanguageCase(
            id: "python3",
            wrongAnswer: "a, b = map(int, input().split())\nprint(a * b)\n",
            compileError: "def main(:\n    pass\n",
            runtimeError: "raise ValueError('boom')\n",
            runtimeErrorDetail: "exit code 1",
            timeLimit: "while True:\n    pass\n"),
        LanguageCase(
            id: "go",
            wrongAnswer:
                "package main\nimport \"fmt\"\nfunc main(){var a,b int; fmt.Scan(&a,&b); fmt.Println(a+b+1)}\n",
            compileError: "package main\nfunc main(){ x := 1 }\n",
            runtimeError: "package main\nfunc main(){ var s []int; i := 3; s[i] = 1 }\n",
            runtimeErrorDetail: "exit code 2",
            timeLimit: "package main\nfunc main(){ for {} }\n"),
        LanguageCase(
            id: "rust",
            wrongAnswer:
                "use std::io::Read;\nfn main(){let mut s=String::new();std::io::stdin().read_to_string(&mut s).unwrap();println!(\"{}\", s.len());}\n",
            compileError: "fn main() { let x: i32 = \"text\"; }\n",
            runtimeError:
                "fn main() { let v: Vec<i32> = Vec::new(); let i = std::env::args().count() + 2; println!(\"{}\", v[i]); }\n",
            runtimeErrorDetail: "exit code 101",
            timeLimit: "fn main() { loop {} }\n"),
        LanguageCase(
            id: "java",
            wrongAnswer:
                "import java.util.*;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() - 1); } }\n",
            compileError: "public class Main { public static void main(String[] a) { int x = \"s\"; } }\n",
            runtimeError:
                "public class Main { public static void main(String[] a) { throw new IllegalStateException(\"boom\"); } }\n",
            runtimeErrorDetail: "exit code 1",
            timeLimit:
                "public class Main { public static void main(String[] a) { long x = 0; while (true) { x++; } } }\n"),
        LanguageCase(
            id: "bash",
            wrongAnswer: "read -r a b\necho $((a - b))\n",
            compileError: "if then fi\n",
            runtimeError: "read -r a b\nexit 3\n",
            runtimeErrorDetail: "exit code 3",
            timeLimit: "while :; do :; done\n"),
    ]
}

@Suite struct JudgeTests {
    // MARK: Every language, every verdict

    /// The template of languages.yaml is accepted; a wrong answer, a compilation error, a crash and
    /// an endless loop get WA, CE, RE (with its detail) and TLE.
    @Test(arguments: LanguageCase.all)
    func verdicts(_ language: LanguageCase) async throws {
        // A generous wall limit: these run beside each other on two cores, and TLE must come from
        // the CPU limit.
        let bundle = testBundle(
            sumTests,
            limits: ChallengeLimits(
                cpuTime: .seconds(1), wallTime: .seconds(10), memoryBytes: 128 << 20, outputBytes: 1 << 20))
        let template = LanguagesFile.language(language.id).template

        let accepted = try await judge(template, in: language.id, bundle)
        #expect(accepted.outcome.verdict == .AC, "\(language.id) template: \(accepted.outcome)")
        #expect(accepted.outcome.tests.count == sumTests.count)
        #expect(accepted.outcome.tests.allSatisfy { $0.verdict == .AC && $0.memoryKB > 0 })
        #expect(accepted.progress.first == .compiling)
        #expect(accepted.progress.filter { if case .test = $0 { return true } else { return false } }.count == 3)

        let wrong = try await judge(language.wrongAnswer, in: language.id, bundle)
        #expect(wrong.outcome.verdict == .WA, "\(language.id): \(wrong.outcome)")
        #expect(wrong.outcome.failedTest == 1)
        #expect(wrong.outcome.tests.count == 1, "stops at the first failing test")

        let compileError = try await judge(language.compileError, in: language.id, bundle)
        #expect(compileError.outcome.verdict == .CE, "\(language.id): \(compileError.outcome)")
        #expect(compileError.outcome.tests.isEmpty)
        #expect(!(compileError.outcome.compileOutput ?? "").isEmpty, "the compiler's message is kept")
        #expect(compileError.outcome.failedTest == nil)

        let crash = try await judge(language.runtimeError, in: language.id, bundle)
        #expect(crash.outcome.verdict == .RE, "\(language.id): \(crash.outcome)")
        #expect(crash.outcome.tests.first?.detail == language.runtimeErrorDetail)

        let loop = try await judge(language.timeLimit, in: language.id, bundle)
        #expect(loop.outcome.verdict == .TLE, "\(language.id): \(loop.outcome)")
        let limit =
            Double(bundle.challenge.limits.cpuTime.components.seconds) * LanguagesFile.language(language.id).timeFactor
        if let test = loop.outcome.tests.first {
            #expect(
                Double(test.cpuMs) >= limit * 1000 && Double(test.cpuMs) < limit * 1000 + 500,
                "killed at the CPU limit: \(test)")
        }
        print(
            "judge \(language.id): AC \(ms(accepted.elapsed)), WA \(ms(wrong.elapsed)), CE \(ms(compileError.elapsed)), RE \(crash.outcome.tests.first?.detail ?? "-") \(ms(crash.elapsed)), TLE \(ms(loop.elapsed)); verdicts \(wrong.outcome.verdict) \(compileError.outcome.verdict) \(crash.outcome.verdict) \(loop.outcome.verdict)"
        )
    }

    /// Memory bombs: each writes to what it allocates (untouched pages are never charged;
    /// measured: a loop of `bytearray(16 << 20)` only ran into the CPU limit).
    static let memoryBombs: [String: String] = [
        "c":
            "#include <stdlib.h>\n#include <string.h>\nint main(void){for(;;){char *p = malloc(16<<20); if(!p) return 3; memset(p, 1, 16<<20);}}\n",
        "python3": "chunks = []\nwhile True:\n    chunks.append(b'x' * (16 << 20))\n",
        "cpp":
            "#include <vector>\n#include <cstring>\nint main(){ std::vector<char*> l; for(;;){ char *p = new char[8<<20]; std::memset(p, 1, 8<<20); l.push_back(p);} }\n",
        "go":
            "package main\nfunc main(){ var l [][]byte; for { b := make([]byte, 8<<20); for i := range b { b[i] = 1 }; l = append(l, b) } }\n",
        "rust": "fn main(){ let mut l: Vec<Vec<u8>> = Vec::new(); loop { l.push(vec![1u8; 8 << 20]); } }\n",
        // The heap's end (OutOfMemoryError, exit 1) comes at the limit: MLE, not RE.
        "java":
            "import java.util.*;\npublic class Main { public static void main(String[] a) { List<byte[]> l = new ArrayList<>(); while (true) { byte[] b = new byte[8 << 20]; Arrays.fill(b, (byte)1); l.add(b); } } }\n",
    ]

    @Test(arguments: ["c", "python3", "cpp", "go", "rust", "java"])
    func memoryLimitExceeded(_ language: String) async throws {
        let limits = ChallengeLimits(
            cpuTime: .seconds(5), wallTime: .seconds(10), memoryBytes: 64 << 20, outputBytes: 1 << 20)
        let judged = try await judge(Self.memoryBombs[language]!, in: language, testBundle(sumTests, limits: limits))
        #expect(judged.outcome.verdict == .MLE, "\(language): \(judged.outcome)")
        let peak = judged.outcome.tests.first?.memoryKB ?? 0
        #expect(peak >= 64 << 10, "peak \(peak) KiB reached the limit")
        print("judge memory bomb \(language): \(judged.outcome.verdict), peak \(peak) KiB")
    }

    @Test(arguments: ["c", "python3"])
    func outputLimitExceeded(_ language: String) async throws {
        let flood =
            language == "c"
            ? "#include <stdio.h>\nint main(void){for(;;) fputs(\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\\n\", stdout);}\n"
            : "import sys\nwhile True:\n    sys.stdout.write('y' * 4096)\n"
        let limits = ChallengeLimits(
            cpuTime: .seconds(5), wallTime: .seconds(10), memoryBytes: 64 << 20, outputBytes: 64 << 10)
        let judged = try await judge(flood, in: language, testBundle(sumTests, limits: limits))
        #expect(judged.outcome.verdict == .OLE, "\(judged.outcome)")
        #expect((judged.outcome.tests.first?.wallMs ?? 10_000) < 2000, "killed as soon as the output passed the limit")
    }

    @Test func stderrCountsTowardsTheOutputLimit() async throws {
        let limits = ChallengeLimits(
            cpuTime: .seconds(5), wallTime: .seconds(10), memoryBytes: 64 << 20, outputBytes: 64 << 10)
        let judged = try await judge(
            "import sys\nwhile True:\n    sys.stderr.write('e' * 4096)\n", in: "python3",
            testBundle(sumTests, limits: limits))
        #expect(judged.outcome.verdict == .OLE, "\(judged.outcome)")
    }

    /// A program that sleeps uses no CPU: only the wall limit stops it, within a second of it.
    @Test func sleeperGetsTimeLimitWithinTheWallLimit() async throws {
        let limits = ChallengeLimits(
            cpuTime: .seconds(1), wallTime: .seconds(2), memoryBytes: 64 << 20, outputBytes: 1 << 20)
        let judged = try await judge(
            "#include <unistd.h>\nint main(void){sleep(100); return 0;}\n", in: "c",
            testBundle(sumTests, limits: limits))
        #expect(judged.outcome.verdict == .TLE, "\(judged.outcome)")
        let test = try #require(judged.outcome.tests.first)
        #expect(test.wallMs >= 2000 && test.wallMs < 3000, "wall \(test.wallMs) ms")
        #expect(test.cpuMs < 100, "asleep: cpu \(test.cpuMs) ms")
        print("judge sleeper: wall \(test.wallMs) ms, cpu \(test.cpuMs) ms, whole submission \(ms(judged.elapsed))")
    }

    /// CPU time comes from the cgroup: a program that burns 500 ms of CPU is measured near 500 ms.
    /// It counts from the start of `main`: the process's CPU clock also holds the exec's set-up
    /// (runc's init is the same process before its execve, measured 18–20 ms), which the judge
    /// subtracts.
    @Test func cpuTimeIsMeasured() async throws {
        let burner = """
            #include <stdio.h>
            #include <time.h>
            static long now(void) {
                struct timespec t;
                clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
                return t.tv_sec * 1000000000L + t.tv_nsec;
            }
            int main(void) {
                long start = now();
                volatile unsigned long spin = 0;
                do { for (int i = 0; i < 10000; i++) spin++; } while (now() - start < 500000000L);
                printf("3\\n");
                return 0;
            }
            """
        // The wall limit is generous: on a busy host the burner waits for its 500 ms of CPU.
        let limits = ChallengeLimits(
            cpuTime: .seconds(2), wallTime: .seconds(60), memoryBytes: 64 << 20, outputBytes: 1 << 20)
        let judged = try await judge(burner, in: "c", testBundle([("1 2\n", "3\n")], limits: limits))
        #expect(judged.outcome.verdict == .AC, "\(judged.outcome)")
        let cpu = try #require(judged.outcome.tests.first?.cpuMs)
        #expect(cpu >= 400 && cpu <= 700, "measured \(cpu) ms for a 500 ms burner")
        print("judge cpu burner: measured \(cpu) ms of 500 ms (error \(cpu - 500) ms)")
    }

    @Test func scoringAllRunsEveryTest() async throws {
        let program = "a, b = map(int, input().split())\nprint(a + b if a != 40 else 0)\n"
        let judged = try await judge(program, in: "python3", testBundle(sumTests, scoring: .all))
        #expect(judged.outcome.verdict == .WA)
        #expect(judged.outcome.failedTest == 2)
        #expect(judged.outcome.tests.map(\.verdict) == [.AC, .WA, .AC])
        #expect(judged.outcome.passed == 2)
    }

    @Test func floatCheckerAndExactChecker() async throws {
        let float = try await judge(
            "print('%.9f' % (1/3))\n", in: "python3", testBundle([("\n", "0.333333\n")], checker: .float(1e-6)))
        #expect(float.outcome.verdict == .AC, "\(float.outcome)")
        let exact = try await judge("print('a  b')\n", in: "python3", testBundle([("\n", "a b\n")], checker: .exact))
        #expect(exact.outcome.verdict == .WA)
    }

    /// Ten tests of a C program: the figure for a typical submission.
    @Test func tenTestsOfC() async throws {
        let tests = (1...10).map { ("\($0) \($0 * 2)\n", "\($0 * 3)\n") }
        let judged = try await judge(LanguagesFile.language("c").template, in: "c", testBundle(tests))
        #expect(judged.outcome.verdict == .AC, "\(judged.outcome)")
        #expect(judged.outcome.tests.count == 10)
        let walls = judged.outcome.tests.map(\.wallMs)
        let cpus = judged.outcome.tests.map(\.cpuMs)
        print(
            "judge 10-test C AC: whole submission \(ms(judged.elapsed)); per test wall \(walls) ms, cpu \(cpus) ms, memory \(judged.outcome.tests.map(\.memoryKB)) KiB"
        )
    }

    // MARK: Custom checkers

    @Test func customCheckerInPython() async throws {
        // Accepts the numbers in any order; says why it refuses.
        let checker = """
            import sys
            given, expected, actual = (open(p).read().split() for p in sys.argv[1:4])
            if sorted(expected) == sorted(actual):
                print("OK")
            else:
                print("NO")
                print(f"expected the numbers {' '.join(expected)} in any order")
            """
        let custom = CustomChecker(fileName: "checker.py", source: Array(checker.utf8), language: "python3")
        let bundle = testBundle([("3\n", "1 2 3\n"), ("2\n", "4 5\n")], checker: .custom, customChecker: custom)
        let accepted = try await judge(
            "n = int(input())\nprint(*reversed(range(1, n + 1)) if n == 3 else [5, 4], sep=' ')\n", in: "python3",
            bundle)
        #expect(accepted.outcome.verdict == .AC, "\(accepted.outcome)")
        let refused = try await judge("input()\nprint(7)\n", in: "python3", bundle)
        #expect(refused.outcome.verdict == .WA)
        #expect(refused.outcome.tests.first?.detail == "expected the numbers 1 2 3 in any order")
    }

    @Test func customCheckerInC() async throws {
        let checker = """
            #include <stdio.h>
            int main(int argc, char **argv) {
                long e, a; FILE *x = fopen(argv[2], "r"), *y = fopen(argv[3], "r");
                if (fscanf(x, "%ld", &e) != 1 || fscanf(y, "%ld", &a) != 1) { puts("NO\\nno number"); return 0; }
                if (a % e == 0) puts("OK"); else printf("NO\\n%ld is no multiple of %ld\\n", a, e);
                return 0;
            }
            """
        let custom = CustomChecker(fileName: "checker.c", source: Array(checker.utf8), language: "c")
        let bundle = testBundle([("\n", "7\n")], checker: .custom, customChecker: custom)
        let accepted = try await judge("print(21)\n", in: "python3", bundle)
        #expect(accepted.outcome.verdict == .AC, "\(accepted.outcome)")
        let refused = try await judge("print(22)\n", in: "python3", bundle)
        #expect(refused.outcome.verdict == .WA)
        #expect(refused.outcome.tests.first?.detail == "22 is no multiple of 7")
    }

    // MARK: Failures of the judge itself

    @Test func missingImageIsAnInternalError() async throws {
        var language = LanguagesFile.language("python3")
        language.image = "breakfix/lang-missing:never"
        let tag = uniqueTag("judge-ie")
        let judgeInstance = DockerJudge()
        let outcome = await judgeInstance.judge(
            JudgeRequest(
                bundle: testBundle(sumTests), language: language, source: "print(3)\n",
                labels: [TestEnvironment.testLabel: tag])
        ) { _ in }
        try await judgeInstance.shutdown()
        #expect(outcome.verdict == .IE)
        #expect(outcome.internalError?.contains("breakfix/lang-missing:never") == true, "\(outcome)")
        #expect(outcome.tests.isEmpty && outcome.failedTest == nil)
        try await withRuntime { runtime in try await expectNothingLeft(runtime, tag: tag) }
    }

    @Test func deadEngineIsAnInternalError() async throws {
        let judgeInstance = DockerJudge(endpoint: DockerEndpoint(socketPath: "/nonexistent/docker.sock"))
        let outcome = await judgeInstance.judge(
            JudgeRequest(bundle: testBundle(sumTests), language: LanguagesFile.language("c"), source: "")
        ) { _ in }
        try await judgeInstance.shutdown()
        #expect(outcome.verdict == .IE)
        #expect(outcome.internalError?.contains("not answering") == true, "\(outcome)")
    }

    /// Cancelling the task that judges removes the container at once.
    @Test func cancellationRemovesTheContainer() async throws {
        let tag = uniqueTag("judge-cancel")
        let judgeInstance = DockerJudge()
        let limits = ChallengeLimits(
            cpuTime: .seconds(30), wallTime: .seconds(60), memoryBytes: 64 << 20, outputBytes: 1 << 20)
        let task = Task {
            await judgeInstance.judge(
                JudgeRequest(
                    bundle: testBundle(sumTests, limits: limits), language: LanguagesFile.language("python3"),
                    source: "import time\ntime.sleep(100)\n", labels: [TestEnvironment.testLabel: tag])
            ) { _ in }
        }
        try await withRuntime { runtime in
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            while try await runtime.list(labels: [TestEnvironment.testLabel: tag]).isEmpty, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(1500))
            task.cancel()
            let outcome = await task.value
            #expect(outcome.verdict == .IE)
            #expect(outcome.internalError == "the judging was cancelled")
            try await expectNothingLeft(runtime, tag: tag)
        }
        try await judgeInstance.shutdown()
    }

    @Test func versionsOfEveryLanguage() async throws {
        let judgeInstance = DockerJudge()
        let versions = await judgeInstance.versions(of: Array(LanguagesFile.all.values))
        try await judgeInstance.shutdown()
        #expect(Set(versions.keys) == Set(LanguagesFile.all.keys), "\(versions)")
        #expect(versions["c"]?.hasPrefix("gcc") == true)
        #expect(versions["java"]?.contains("openjdk") == true)
        print(
            "judge versions: \(versions.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))"
        )
    }

    // MARK: Pure parts

    @Test func verdictPrecedence() {
        let limits = TestLimits(
            challenge: ChallengeLimits(
                cpuTime: .seconds(1), wallTime: .seconds(2), memoryBytes: 64 << 20, outputBytes: 100),
            language: LanguagesFile.language("c"))
        let clean = JudgeSandbox.Measurement(
            exitCode: 0, output: [], outputBytes: 0, wall: .milliseconds(10), cpu: .milliseconds(5),
            rawCPUNanoseconds: 0,
            peakBytes: 1 << 20, unreclaimablePeakBytes: 1 << 20, oomKilled: false, killedFor: nil)
        #expect(TestVerdict.beforeComparison(clean, limits: limits) == nil)
        var run = clean
        run.exitCode = 139
        #expect(TestVerdict.beforeComparison(run, limits: limits)! == (.RE, "SIGSEGV"))
        run.peakBytes = 64 << 20
        #expect(TestVerdict.beforeComparison(run, limits: limits)!.0 == .MLE, "a crash at the memory limit")
        run.exitCode = 0
        #expect(TestVerdict.beforeComparison(run, limits: limits) == nil, "page cache at the limit is no MLE")
        run.exitCode = 1
        run.peakBytes = 1 << 20
        run.errorTail = Array("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n".utf8)
        #expect(TestVerdict.beforeComparison(run, limits: limits)!.0 == .MLE, "the JVM's heap ended first")
        run.errorTail = []
        run.exitCode = 139
        run.unreclaimablePeakBytes = 64 << 20
        #expect(TestVerdict.beforeComparison(run, limits: limits)!.0 == .MLE)
        run.unreclaimablePeakBytes = 0
        run.oomKilled = true
        #expect(TestVerdict.beforeComparison(run, limits: limits)!.0 == .MLE)
        run.outputBytes = 101
        #expect(TestVerdict.beforeComparison(run, limits: limits)!.0 == .OLE)
        run.cpu = .milliseconds(1001)
        #expect(TestVerdict.beforeComparison(run, limits: limits)!.0 == .TLE)
        #expect(TestVerdict.runtimeErrorDetail(exitCode: 3) == "exit code 3")
        #expect(TestVerdict.runtimeErrorDetail(exitCode: 134) == "SIGABRT")
        #expect(limits.cpuBackstopSeconds == 2)
        let java = TestLimits(challenge: .default, language: LanguagesFile.language("java"))
        #expect(java.cpu == .seconds(2) && java.memoryBytes == (256 << 20) + (128 << 20))
    }

    @Test func checkerAnswers() {
        #expect(TestVerdict.checkerAnswer(Array("OK\n".utf8))! == (.AC, nil))
        #expect(TestVerdict.checkerAnswer(Array("NO\nline two is wrong\n".utf8))! == (.WA, "line two is wrong"))
        #expect(TestVerdict.checkerAnswer(Array("NO".utf8))! == (.WA, nil))
        #expect(TestVerdict.checkerAnswer(Array("maybe\n".utf8)) == nil)
        #expect(TestVerdict.checkerAnswer([]) == nil)
    }

    @Test func cgroupPathsFromMountinfo() throws {
        let v1 = try CgroupAccounting.resolve(
            membership: """
                12:pids:/docker/abc
                6:freezer:/docker/abc
                4:memory:/docker/abc
                2:cpu,cpuacct:/docker/abc
                1:name=systemd:/docker/abc
                0::/docker/abc
                """,
            mountinfo: """
                30 25 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw
                31 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
                32 25 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
                33 25 0:29 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
                34 25 0:30 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer
                """)
        #expect(v1.version == .v1)
        #expect(v1.cpuDirectory == "/sys/fs/cgroup/cpu,cpuacct/docker/abc")
        #expect(v1.memoryDirectory == "/sys/fs/cgroup/memory/docker/abc")
        #expect(v1.processDirectory == "/sys/fs/cgroup/pids/docker/abc")
        #expect(v1.freezerDirectory == "/sys/fs/cgroup/freezer/docker/abc")

        let v2 = try CgroupAccounting.resolve(
            membership: "0::/system.slice/docker-abc.scope\n",
            mountinfo: "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n")
        #expect(v2.version == .v2)
        #expect(v2.memoryDirectory == "/sys/fs/cgroup/system.slice/docker-abc.scope")

        #expect(throws: CgroupAccounting.Unavailable.self) {
            try CgroupAccounting.resolve(membership: "0::/x\n", mountinfo: "")
        }
    }

    @Test func languagesFileIsComplete() {
        let ids = Set(LanguagesFile.all.keys)
        #expect(ids == ["c", "cpp", "python3", "go", "rust", "java", "bash"])
        for language in LanguagesFile.all.values {
            #expect(!language.run.isEmpty && !language.version.isEmpty && !language.template.isEmpty, "\(language.id)")
            #expect(language.image.hasPrefix("breakfix/lang-"), "\(language.id)")
        }
    }
}

func ms(_ duration: Duration) -> String {
    "\(DockerJudge.milliseconds(duration)) ms"
}
