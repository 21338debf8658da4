/// Builds one inline `<svg>` element, counting the elements it holds so the report can
/// keep its size bounded. Every text and title is escaped here.
struct SVGBuilder {
    let width: Double
    let height: Double
    private(set) var elementCount = 0
    private var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, cssClass: String, title: String? = nil) {
        let attributes = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        element("rect", attributes + " class=\"\(cssClass)\"", title: title)
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, cssClass: String, title: String? = nil) {
        let attributes = "x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\""
        element("line", attributes + " class=\"\(cssClass)\"", title: title)
    }

    mutating func circle(x: Double, y: Double, radius: Double, cssClass: String, title: String? = nil) {
        let attributes = "cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"\(Self.number(radius))\""
        element("circle", attributes + " class=\"\(cssClass)\"", title: title)
    }

    /// `anchor`: start, middle or end.
    mutating func text(_ text: String, x: Double, y: Double, anchor: String = "start", cssClass: String = "label") {
        elementCount += 1
        body += "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" class=\"\(cssClass)\">"
            + HTMLText.escape(text) + "</text>\n"
    }

    /// The finished element. `label` is read by screen readers and tools.
    func markup(label: String, cssClass: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(cssClass)\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
            + "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">\n"
            + body + "</svg>\n"
    }

    /// An element with an optional `<title>` (a tooltip in browsers, no script needed).
    private mutating func element(_ name: String, _ attributes: String, title: String?) {
        elementCount += 1
        guard let title else {
            body += "<\(name) \(attributes)/>\n"
            return
        }
        elementCount += 1
        body += "<\(name) \(attributes)><title>\(HTMLText.escape(title))</title></\(name)>\n"
    }

    /// A coordinate with at most one decimal: `12`, `12.5`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        // Clamped well inside Int: a coordinate from a damaged journal can be anything.
        let tenths = min(max(value * 10, -1e15), 1e15).rounded()
        let whole = Int(tenths) / 10, fraction = abs(Int(tenths) % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? sign + String(whole) : sign + String(whole) + "." + String(fraction)
    }
}
