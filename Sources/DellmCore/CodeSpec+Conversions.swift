import Foundation

/// Unit conversions: of a number, of every element of a list, by the table or a factor the task gives.
extension CodeSpec.Parser {
    /// "converts a temperature from degrees Celsius to degrees Fahrenheit", "converts a distance in
    /// kilometers to miles (1 mile = 1.609344 km)".
    mutating func conversion() -> Expr? {
        guard word("converts", "convert", "converting", "turns", "changes") != nil else { return nil }
        let measures = ["temperature", "temperatures", "distance", "distances", "length", "lengths", "weight", "weights", "mass", "duration",
                        "durations", "time", "times", "speed", "volume", "value", "values", "number", "numbers", "amount", "amounts",
                        "measurement", "measurements", "height", "heights", "reading", "readings"]
        // "converts every Celsius temperature in temps to Fahrenheit": each element of a list.
        var each: Src?
        var named: String?
        let x: String
        if word("every", "each", "all") != nil {
            skip(["the", "of"])
            guard let u = convUnit(), oneOf(measures) != nil, word("in", "of", "from") != nil, let s = source(), s.ty.isList else { return nil }
            (x, each) = (u, s)
        } else {
            skip(["a", "an", "the", "given"])
            oneOf(measures)
            word("in", "from", "given", "of")
            if let u = convUnit() { x = u } else {
                named = param()?.name // "converts h hours to seconds"
                guard let u = convUnit() else { return nil }
                x = u
            }
        }
        word("to", "into", "in")
        guard let y = convUnit() else { return nil }
        var factor: String?
        // "(1 mile = 1.609344 km)": the factor the task gives.
        _ = attempt { p -> Bool? in
            guard p.word("(") != nil, let one = p.number(), one == "1", let u = p.convUnit(), p.word("=", "is", "equals") != nil,
                  let k = p.number(), let v = p.convUnit(), p.word(")") != nil else { return nil }
            if u == y && v == x { factor = "_x / \(k)" } else if u == x && v == y { factor = "_x * \(k)" } else { return nil }
            return true
        }
        guard let f = factor ?? CodeSpec.Parser.conversionFormula(from: x, to: y) else { return nil }
        if let each {
            _ = attempt { p -> Bool? in
                p.word(",")
                guard p.word("and") != nil, p.word("returns", "return") != nil else { return nil }
                p.skip(["the", "a", "new", "resulting", "converted"])
                return p.word("list", "them", "result", "values", "temperatures") != nil ? true : nil
            }
            return Expr(py: "[\(f.replacingOccurrences(of: "_x", with: "_e")) for _e in \(each.py)]", ty: .list(.num))
        }
        return converted(f, named: named, orTheOnlyParameter: true)
    }

    /// A conversion's formula over the parameter it names, else the one number the function takes (or, with
    /// `orTheOnlyParameter`, its only parameter, whatever its name made it).
    func converted(_ f: String, named: String?, orTheOnlyParameter: Bool) -> Expr? {
        let nums = params.filter { $0.kind == .num }
        guard let p = named ?? (nums.count == 1 ? nums[0].name : orTheOnlyParameter && params.count == 1 ? params[0].name : nil) else { return nil }
        return Expr(py: f.replacingOccurrences(of: "_x", with: p), ty: .num)
    }

    /// After "the number of" or "how many": "cents in the given amount of dollars", "hours in the given number
    /// of days" (with a parameter named days), "seconds there are in m minutes": the one number converted.
    mutating func unitCount() -> Expr? {
        guard let unit = convUnit() else { return nil }
        word("there")
        word("are", "is")
        guard word("in") != nil else { return nil }
        skip(["the", "given", "a", "an"])
        var named: String?
        if word("amount", "number", "quantity") != nil {
            guard word("of") != nil else { return nil }
        } else if case .param? = peek, case .word? = peek(1) {
            named = param()?.name // "in m minutes"
        } else {
            guard case .word? = peek else { return nil } // a parameter alone is no unit: "in days" with days a list
        }
        guard let from = convUnit(), let f = CodeSpec.Parser.conversionFormula(from: from, to: unit) else { return nil }
        return converted(f, named: named, orTheOnlyParameter: false)
    }

    /// A conversion between units as a formula over `_x`: temperatures by theirs, the rest by the
    /// conversion table's factors (of one dimension).
    static func conversionFormula(from x: String, to y: String) -> String? {
        let temps: [String: String] = ["c>f": "_x * 9 / 5 + 32", "f>c": "(_x - 32) * 5 / 9", "c>k": "_x + 273.15", "k>c": "_x - 273.15",
                                       "f>k": "(_x - 32) * 5 / 9 + 273.15", "k>f": "(_x - 273.15) * 9 / 5 + 32"]
        if let t = temps["\(x)>\(y)"] { return t }
        guard let a = ArithmeticGrammar.Conversion.table.first(where: { $0.names.contains(x) }),
              let b = ArithmeticGrammar.Conversion.table.first(where: { $0.names.contains(y) }), a.dimension == b.dimension else { return nil }
        // A whole factor as one: "_x * 24", not "_x * 86400 / 3600" (a float where an int was asked).
        let k = a.factor / b.factor
        if k >= 1, k == k.rounded(), k < 1e15 { return "_x * \(Calculator.format(k))" }
        return "_x * \(Calculator.format(a.factor)) / \(Calculator.format(b.factor))"
    }

    /// A unit's name as the conversion table has it; temperatures as c, f, k.
    mutating func convUnit() -> String? {
        word("degrees", "degree")
        if word("celsius", "centigrade", "°c") != nil { return "c" }
        if word("fahrenheit", "°f") != nil { return "f" }
        if word("kelvin", "kelvins") != nil { return "k" }
        // A parameter named as a unit ("km") is the unit in "(1 mile = 1.609344 km)".
        let w: String
        switch peek {
        case .word(let x)?: w = x
        case .param(let x)?: w = x.lowercased()
        default: return nil
        }
        guard let u = ArithmeticGrammar.Conversion.table.first(where: { $0.names.contains(w) }) else { return nil }
        pos += 1
        return u.names[0]
    }
}
