import ArgumentParser

/// A byte count on the command line: `4096`, `64KiB`, `16MiB`, `1GiB` (also `K`, `M`, `G`,
/// `KB`, `MB`, `GB` as powers of 1024).
struct ByteSize: ExpressibleByArgument, CustomStringConvertible {
    let bytes: Int

    init?(argument: String) {
        let text = argument.lowercased()
        let digits = text.prefix { $0.isNumber }
        guard let number = Int(digits) else { return nil }
        let units: [String: Int] = [
            "": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
            "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30, "t": 1 << 40, "tib": 1 << 40,
        ]
        guard let unit = units[String(text.dropFirst(digits.count))] else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        bytes = product
    }

    var description: String { Format.bytes(Double(bytes)) }
}
