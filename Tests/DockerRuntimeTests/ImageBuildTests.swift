import BreakfixCore
import Foundation
import Testing

@testable import DockerRuntime

@Suite(.serialized, .timeLimit(.minutes(5)))
struct ImageBuildTests {
    private func makeContext(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("build-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        return directory
    }

    @Test func buildsAnImageFromAFolder() async throws {
        let longDirectory = (1...5).map { "directory-level-\($0)-" + String(repeating: "x", count: 40) }.joined(separator: "/")
        let context = try makeContext([
            "Dockerfile": """
            FROM \(TestEnvironment.baseImage)
            COPY files/ /opt/ctx/
            RUN test -x /opt/ctx/tool.sh && test ! -e /opt/ctx/check.sh
            """,
            "files/tool.sh": "#!/bin/sh\necho tool\n",
            "files/\(longDirectory)/deep.txt": "deep\n",
            "files/check.sh": "echo secret\n",
        ])
        defer { try? FileManager.default.removeItem(at: context) }
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: context.appendingPathComponent("files/tool.sh").path)
        try FileManager.default.createSymbolicLink(
            atPath: context.appendingPathComponent("files/link").path, withDestinationPath: "tool.sh")

        let testTag = uniqueTag("build")
        let image = "breakfix-test/\(testTag):latest"
        try await withRuntime { runtime in
            do {
                try await runtime.build(
                    directory: context, tag: image, labels: [TestEnvironment.testLabel: testTag],
                    exclude: ["files/check.sh"])
                #expect(try await runtime.imageExists(image))
                try await withSandbox(runtime, testSpec(image: image, tag: testTag)) { id in
                    let result = try await runtime.exec(
                        id,
                        .shell(
                            "cat '/opt/ctx/\(longDirectory)/deep.txt'; stat -c %a /opt/ctx/tool.sh; readlink /opt/ctx/link; /opt/ctx/link"
                        ))
                    #expect(result.stdoutText == "deep\n755\ntool.sh\ntool\n", "\(result.stderrText)")
                }
            } catch {
                try? await runtime.removeImage(image)
                throw error
            }
            try await runtime.removeImage(image)
            #expect(try await runtime.imageExists(image) == false)
        }
    }

    @Test func failingBuildNamesTheStep() async throws {
        let context = try makeContext([
            "Dockerfile": """
            FROM \(TestEnvironment.baseImage)
            RUN echo about to fail && false
            RUN echo never
            """
        ])
        defer { try? FileManager.default.removeItem(at: context) }
        let testTag = uniqueTag("buildfail")
        let image = "breakfix-test/\(testTag):latest"
        try await withRuntime { runtime in
            let error = await #expect(throws: RuntimeError.self) {
                try await runtime.build(
                    directory: context, tag: image, labels: [TestEnvironment.testLabel: testTag], exclude: [])
            }
            guard case .buildFailed(let step, let log)? = error else {
                Issue.record("expected .buildFailed, got \(String(describing: error))")
                return
            }
            // The engine appends a LABEL step for the `labels` parameter, hence 2/4 for 3 lines.
            #expect(step == "Step 2/4 : RUN echo about to fail && false")
            #expect(log.contains("about to fail"))
            #expect(log.contains("returned a non-zero code: 1"))
            #expect(try await runtime.imageExists(image) == false)
            try await expectNothingLeft(runtime, tag: testTag)
        }
    }
}
