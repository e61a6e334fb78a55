import Foundation

/// A small POSIX ustar writer for build contexts: regular files (with their permission bits),
/// directories and symlinks. Names or link targets that do not fit ustar's fields get a PAX
/// extended header. Owner, group and mtime are fixed so that the same folder always gives the same
/// archive (and so the same layer cache).
struct TarArchive {
    enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case tooLarge(path: String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): return "cannot read \(path) for the build context: \(reason)"
            case .tooLarge(let path): return "\(path) is larger than 8 GiB, which a build context cannot hold"
            }
        }
    }

    /// 2000-01-01T00:00:00Z: any constant works; zero makes some tools warn.
    static let fixedModificationTime = 946_684_800
    private static let blockSize = 512

    private(set) var bytes: [UInt8] = []

    mutating func appendDirectory(_ path: String, mode: Int) {
        appendEntry(name: path.hasSuffix("/") ? path : path + "/", type: "5", mode: mode, contents: [])
    }

    mutating func appendFile(_ path: String, mode: Int, contents: [UInt8]) {
        appendEntry(name: path, type: "0", mode: mode, contents: contents)
    }

    mutating func appendSymlink(_ path: String, target: String) {
        appendEntry(name: path, type: "2", mode: 0o777, contents: [], linkTarget: target)
    }

    /// The archive with its end marker (two zero blocks).
    func finished() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: 2 * Self.blockSize)
    }

    /// The build context of `directory`: every entry below it in sorted order, minus the relative
    /// paths in `exclude` (a directory listed there is left out with everything in it).
    static func buildContext(of directory: URL, exclude: Set<String>) throws -> [UInt8] {
        var archive = TarArchive()
        try archive.appendTree(root: directory.standardizedFileURL.path, relative: "", exclude: exclude)
        return archive.finished()
    }

    private mutating func appendTree(root: String, relative: String, exclude: Set<String>) throws {
        let fileManager = FileManager.default
        let directory = relative.isEmpty ? root : root + "/" + relative
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: directory)
        } catch {
            throw Failure.unreadable(path: directory, reason: error.localizedDescription)
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let path = relative.isEmpty ? name : relative + "/" + name
            if exclude.contains(path) { continue }
            let absolute = root + "/" + path
            // attributesOfItem uses lstat: a symlink is reported as a link, not as its target.
            let attributes: [FileAttributeKey: Any]
            do {
                attributes = try fileManager.attributesOfItem(atPath: absolute)
            } catch {
                throw Failure.unreadable(path: absolute, reason: error.localizedDescription)
            }
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o644
            switch attributes[.type] as? FileAttributeType {
            case .typeDirectory?:
                appendDirectory(path, mode: mode)
                try appendTree(root: root, relative: path, exclude: exclude)
            case .typeRegular?:
                guard let data = fileManager.contents(atPath: absolute) else {
                    throw Failure.unreadable(path: absolute, reason: "permission denied")
                }
                guard data.count < 0o77777777777 else { throw Failure.tooLarge(path: absolute) }
                appendFile(path, mode: mode, contents: [UInt8](data))
            case .typeSymbolicLink?:
                let target = try fileManager.destinationOfSymbolicLink(atPath: absolute)
                appendSymlink(path, target: target)
            default:
                continue  // sockets, fifos and devices have no place in a build context
            }
        }
    }

    private mutating func appendEntry(
        name: String, type: Character, mode: Int, contents: [UInt8], linkTarget: String = ""
    ) {
        let split = Self.splitForUstar(name)
        var pax: [(String, String)] = []
        if split == nil { pax.append(("path", name)) }
        if linkTarget.utf8.count > 100 { pax.append(("linkpath", linkTarget)) }
        if !pax.isEmpty {
            let records = Self.paxRecords(pax)
            bytes += Self.header(
                name: Self.truncated("PaxHeaders/" + name, to: 100), prefix: "", type: "x", mode: 0o644,
                size: records.count, linkTarget: "")
            appendPadded(records)
        }
        let (prefix, shortName) = split ?? ("", Self.truncated(name, to: 100))
        bytes += Self.header(
            name: shortName, prefix: prefix, type: type, mode: mode, size: contents.count,
            linkTarget: Self.truncated(linkTarget, to: 100))
        appendPadded(contents)
    }

    private mutating func appendPadded(_ data: [UInt8]) {
        bytes += data
        let remainder = data.count % Self.blockSize
        if remainder != 0 { bytes += [UInt8](repeating: 0, count: Self.blockSize - remainder) }
    }

    /// `(prefix, name)` when the path fits ustar's 155 + 100 byte fields split at a slash.
    static func splitForUstar(_ path: String) -> (String, String)? {
        let utf8 = Array(path.utf8)
        if utf8.count <= 100 { return ("", path) }
        guard utf8.count <= 256 else { return nil }
        for index in utf8.indices.reversed() where utf8[index] == UInt8(ascii: "/") {
            let prefix = utf8[..<index]
            let name = utf8[(index + 1)...]
            if prefix.count <= 155, name.count <= 100, !name.isEmpty {
                return (String(decoding: prefix, as: UTF8.self), String(decoding: name, as: UTF8.self))
            }
        }
        return nil
    }

    /// PAX records `"<length> <key>=<value>\n"`, where length counts the whole record.
    static func paxRecords(_ pairs: [(String, String)]) -> [UInt8] {
        var data: [UInt8] = []
        for (key, value) in pairs {
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + 1
            while String(length).utf8.count + body.utf8.count != length {
                length = String(length).utf8.count + body.utf8.count
            }
            data += Array((String(length) + body).utf8)
        }
        return data
    }

    private static func header(
        name: String, prefix: String, type: Character, mode: Int, size: Int, linkTarget: String
    ) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func putOctal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        putOctal(mode & 0o7777, at: 100, width: 8)
        putOctal(0, at: 108, width: 8)  // uid
        putOctal(0, at: 116, width: 8)  // gid
        putOctal(size, at: 124, width: 12)
        putOctal(fixedModificationTime, at: 136, width: 12)
        put(String(type), at: 156, width: 1)
        put(linkTarget, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put(prefix, at: 345, width: 155)
        // The checksum is computed with its own field read as eight spaces.
        for index in 148..<156 { block[index] = UInt8(ascii: " ") }
        let checksum = block.reduce(0) { $0 + Int($1) }
        let digits = String(checksum, radix: 8)
        put(String(repeating: "0", count: max(0, 6 - digits.count)) + digits, at: 148, width: 6)
        block[154] = 0
        block[155] = UInt8(ascii: " ")
        return block
    }

    /// At most `width` bytes of `text`, cut on a character boundary.
    private static func truncated(_ text: String, to width: Int) -> String {
        var result = ""
        for character in text {
            guard result.utf8.count + character.utf8.count <= width else { break }
            result.append(character)
        }
        return result
    }
}
