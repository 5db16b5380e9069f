// What a server needs from `import UringNet` alone: the executor, its buffers
// and error (UringAsync re-exports UringError, Errno, FileDescriptor, …), and
// the address type the sockets take.
@_exported import struct Uring.SocketAddress
@_exported import UringAsync
