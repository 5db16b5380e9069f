import Glibc
import Testing
import UringTestSupport

/// Misuses of memory the compiler refuses, checked by compiling snippets against
/// the modules this test executable was built with.
///
/// A read into read-only memory does not type-check at all. Pushing an operation
/// and the initializers that take pointers are `@unsafe`: code built with strict
/// memory safety must mark them `unsafe`, and with warnings as errors an unmarked
/// use does not compile. Two controls (the same code used rightly, plainly and
/// strictly) show that the compiler runs and that only the misuse fails.
@Suite("Misuse the compiler refuses")
struct UnsafeMisuseTests {
    /// `swiftc`, from PATH or the toolchain at /opt/swift.
    static let compiler: String? = {
        let paths = (getenv("PATH").map { String(cString: $0) } ?? "").split(separator: ":").map(String.init)
        return (paths + ["/opt/swift/usr/bin"]).map { $0 + "/swiftc" }.first { access($0, X_OK) == 0 }
    }()

    /// The directory this test executable was built in (it holds `Modules/`).
    static var buildDirectory: String {
        var path = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &path, path.count - 1)
        let executable = String(decoding: path[..<max(0, count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var directory = executable
        while !directory.isEmpty && access(directory + "/Modules/Uring.swiftmodule", F_OK) != 0 {
            directory = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
        }
        return directory
    }

    /// Type-checks `source`; the compiler's exit status and what it printed.
    /// The compiler runs off the cooperative pool: it takes seconds each time.
    static func typecheck(_ source: String, strict: Bool) async throws -> (status: Int32, output: String) {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/snippet.swift", Array(source.utf8))
        let build = buildDirectory
        let scratch = String(build[..<build.lastIndex(of: "/")!])
        let checkouts = String(scratch[..<scratch.lastIndex(of: "/")!]) + "/checkouts"
        var arguments = [
            "-typecheck", directory + "/snippet.swift", "-I", build + "/Modules",
            "-Xcc", "-fmodule-map-file=" + build + "/CUring.build/module.modulemap",
            "-Xcc", "-fmodule-map-file=" + checkouts + "/swift-system/Sources/CSystem/include/module.modulemap",
        ]
        if strict { arguments += ["-strict-memory-safety", "-warnings-as-errors"] }
        let quoted = ([compiler!] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let status = await TestSupport.runOffPool("/bin/sh", ["-c", quoted + " > '" + directory + "/output' 2>&1"])
        return (status, String(decoding: try TestSupport.contents(of: directory + "/output"), as: UTF8.self))
    }

    static let header = """
        import SystemPackage
        import Uring
        func use(_ bytes: UnsafeRawBufferPointer, _ space: UnsafeMutableRawBufferPointer) throws {
            let file = FileTarget.descriptor(FileDescriptor(rawValue: 0))
            var ring = try Ring(entries: 4)

        """

    @Test(.enabled(if: compiler != nil, "needs swiftc"))
    func rightUsesCompilePlainlyAndStrictly() async throws {
        let plain = try await Self.typecheck(
            Self.header + """
                    _ = Read(file, into: .plain(space))
                    _ = Write(file, from: .plain(bytes))
                    ring.push(Write(file, from: bytes))
                }
                """, strict: false)
        #expect(plain.status == 0, "\(plain.output)")
        let strict = try await Self.typecheck(
            Self.header + """
                    _ = unsafe Read(file, into: .plain(space))
                    _ = unsafe Write(file, from: .plain(bytes))
                    unsafe ring.push(unsafe Write(file, from: bytes))
                }
                """, strict: true)
        #expect(strict.status == 0, "\(strict.output)")
    }

    @Test(.enabled(if: compiler != nil, "needs swiftc"))
    func readingIntoReadOnlyMemoryDoesNotCompile() async throws {
        let result = try await Self.typecheck(
            Self.header + """
                    _ = Read(file, into: .plain(bytes))
                }
                """, strict: false)
        #expect(result.status != 0)
        #expect(
            result.output.contains(
                "cannot convert value of type 'UnsafeRawBufferPointer' to expected argument type 'UnsafeMutableRawBufferPointer'"),
            "\(result.output)")
    }

    @Test(.enabled(if: compiler != nil, "needs swiftc"))
    func unmarkedPushAndPointerInitializersDoNotCompileUnderStrictMemorySafety() async throws {
        let push = try await Self.typecheck(
            Self.header + """
                    ring.push(Nop())
                }
                """, strict: true)
        #expect(push.status != 0)
        #expect(push.output.contains("expression uses unsafe constructs but is not marked with 'unsafe'"), "\(push.output)")
        let initializer = try await Self.typecheck(
            Self.header + """
                    _ = Write(file, from: bytes)
                }
                """, strict: true)
        #expect(initializer.status != 0)
        #expect(initializer.output.contains("expression uses unsafe constructs but is not marked with 'unsafe'"), "\(initializer.output)")
    }
}
