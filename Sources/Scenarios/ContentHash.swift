import BreakfixCore
import Foundation

/// A hash of a folder's build context: every file's relative path, executable bit and bytes, and
/// every symlink's target, in a stable order.
enum ContentHash {
    static func of(directory: URL, excluding: Set<String>) throws -> String {
        var hasher = SHA256()
        let fm = FileManager.default
        let root = directory.standardizedFileURL.path
        guard let walker = fm.enumerator(atPath: root) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            if excluding.contains(relative) { continue }
            paths.append(relative)
        }
        for relative in paths.sorted() {
            let full = root + "/" + relative
            let attributes = try fm.attributesOfItem(atPath: full)
            let type = attributes[.type] as? FileAttributeType
            hasher.update("\u{0}\(relative)\u{0}")
            switch type {
            case .typeSymbolicLink:
                hasher.update("link:" + (try fm.destinationOfSymbolicLink(atPath: full)))
            case .typeDirectory:
                hasher.update("dir")
            default:
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
                hasher.update(mode & 0o111 != 0 ? "exec:" : "file:")
                hasher.update(Array(try Data(contentsOf: URL(fileURLWithPath: full))))
            }
        }
        return hasher.finalize()
    }
}
