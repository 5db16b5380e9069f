// What a user of UringAsync needs without importing anything else: the error it
// throws, and SystemPackage's descriptor, path and permission types its API takes.
@_exported import struct SystemPackage.Errno
@_exported import struct SystemPackage.FileDescriptor
@_exported import struct SystemPackage.FilePath
@_exported import struct SystemPackage.FilePermissions
@_exported import struct Uring.Completion
@_exported import struct Uring.FileStatus
@_exported import struct Uring.RingOptions
@_exported import struct Uring.SocketAddress
@_exported import struct Uring.UringError
