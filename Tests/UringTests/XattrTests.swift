import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// The four extended-attribute operations on a file in /tmp.
@Suite("Extended attributes")
struct XattrTests {
    @Test(.enabled(if: TestSupport.supports(.fsetxattr), "needs IORING_OP_FSETXATTR (Linux 5.19)"))
    func setAndGetByDescriptorAndPath() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/attributes"
        try TestSupport.createFile(path, [])
        var ring = try Ring(entries: 8)
        let fd = try FileDescriptor.open(FilePath(path), .readWrite)
        defer { try? fd.close() }
        let name = TestSupport.cString("user.swift-uring")
        let otherName = TestSupport.cString("user.by-path")
        let cPath = TestSupport.cString(path)
        defer {
            free(name)
            free(otherName)
            free(cPath)
        }
        let value = Array("ring value".utf8)

        let set = try value.withUnsafeBytes {
            try TestSupport.roundTrip(&ring, SetXattr(name, of: .file(fd), value: $0))
        }
        #expect(set.result == 0)
        var check = [UInt8](repeating: 0, count: 32)
        #expect(cts_fgetxattr(fd.rawValue, "user.swift-uring", &check, 32) == value.count)
        #expect(Array(check[..<value.count]) == value)

        let byPath = Array("by path".utf8)
        let (first, second) = try byPath.withUnsafeBytes { bytes in
            let create = SetXattr(otherName, of: .path(cPath), value: bytes, flags: SetXattr.create)
            return (try TestSupport.roundTrip(&ring, create), try TestSupport.roundTrip(&ring, create))
        }
        #expect(first.result == 0)
        #expect(second.error == .fileExists)

        var out = [UInt8](repeating: 0, count: 32)
        let got = try out.withUnsafeMutableBytes {
            try TestSupport.roundTrip(&ring, GetXattr(name, of: .file(fd), into: $0)).value(for: "fgetxattr")
        }
        #expect(Array(out[..<Int(got)]) == value)
        let gotByPath = try out.withUnsafeMutableBytes {
            try TestSupport.roundTrip(&ring, GetXattr(otherName, of: .path(cPath), into: $0)).value(for: "getxattr")
        }
        #expect(Array(out[..<Int(gotByPath)]) == Array("by path".utf8))
        let tooSmall = try out.withUnsafeMutableBytes {
            try TestSupport.roundTrip(&ring, GetXattr(name, of: .file(fd), into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<2])))
        }
        #expect(tooSmall.error == .outOfRange)
    }
}
