/// A benchmark that could not run as asked.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Medians and friends for repeated measurements.
enum Statistics {
    /// The median of `values` (the mean of the middle two for an even count); 0 when empty.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Human-readable numbers.
enum Format {
    /// `12.34 M` style rates.
    static func rate(_ value: Double) -> String {
        if value >= 1e6 { return fixed(value / 1e6, 2) + " M" }
        if value >= 1e3 { return fixed(value / 1e3, 1) + " K" }
        return fixed(value, 0)
    }

    /// `1.5 GiB` style sizes (powers of 1024).
    static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value
        var unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return (unit == 0 ? fixed(scaled, 0) : fixed(scaled, 1)) + " " + units[unit]
    }

    /// `1:05` style minutes and seconds.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        let secondsPart = whole % 60
        return "\(whole / 60):" + (secondsPart < 10 ? "0" : "") + String(secondsPart)
    }

    /// One table row: each text padded with spaces to its width (0: no padding).
    static func row(_ cells: [(String, Int)]) -> String {
        cells.map { text, width in text + String(repeating: " ", count: max(0, width - text.count)) }.joined()
    }

    /// A table: its heading lines, then one padded line per row of cells (see ``row(_:)``).
    static func table(_ heading: [String], _ rows: [[(String, Int)]]) -> String {
        (heading + rows.map(row)).joined(separator: "\n") + "\n"
    }

    /// `1.23x`.
    static func ratio(_ value: Double) -> String { fixed(value, 2) + "x" }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if digits == 0 {
                text = String(text[..<dot])
            } else if decimals < digits {
                text += String(repeating: "0", count: digits - decimals)
            }
        }
        return text
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// A flat JSON object with fields in a fixed order.
struct JSONObject {
    enum Value {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
    }

    let fields: [(String, Value)]
    init(_ fields: [(String, Value)]) { self.fields = fields }

    var text: String {
        let body = fields.map { key, value in "\"\(key)\": \(render(value))" }
        return "{" + body.joined(separator: ", ") + "}"
    }

    private func render(_ value: Value) -> String {
        switch value {
        case .string(let text):
            var escaped = ""
            for character in text {
                if character == "\\" || character == "\"" { escaped.append("\\") }
                escaped.append(character)
            }
            return "\"" + escaped + "\""
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? Format.fixed(number, 3) : "null"
        case .bool(let flag): return flag ? "true" : "false"
        }
    }
}
