/// The report's inline CSS: no external sheet, no web font, nothing fetched. It avoids
/// `>` and `&` so the page stays well-formed XML.
enum ReportStyle {
    static let css = """
        body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; margin: 24px auto; max-width: 1240px; padding: 0 16px; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d7dbe3; padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 16px 0 6px; }
        .sub, .note, .none { color: #5b6475; }
        nav a { margin-right: 12px; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
        th, td { border: 1px solid #d7dbe3; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f1f3f7; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        table.facts th { width: 170px; }
        pre { background: #f6f7f9; padding: 8px; overflow-x: auto; font-size: 12px; }
        figure { margin: 10px 0 18px; }
        figcaption { font-weight: 600; margin-bottom: 2px; }
        svg { display: block; max-width: 100%; height: auto; }
        .problems { border: 2px solid #d32f2f; background: #fff6f5; border-radius: 6px; padding: 4px 16px 10px; margin: 16px 0; }
        .problems.clean { border-color: #2e7d32; background: #f3faf3; }
        .problems h2 { border: none; margin: 8px 0 4px; }
        .problems h3 { margin: 10px 0 2px; font-size: 14px; }
        .problems ul { margin: 2px 0; padding-left: 20px; }
        .problems li { margin: 2px 0; overflow-wrap: anywhere; }
        .problems .stop { font-weight: 600; color: #b71c1c; }
        td { white-space: nowrap; }
        td.long { white-space: normal; min-width: 16em; }
        th { overflow-wrap: anywhere; }
        @media (max-width: 1000px) {
            body { font-size: 13px; padding: 0 8px; }
            table { font-size: 11px; }
            th, td { padding: 2px 4px; }
        }
        svg .plot { fill: #fbfbfd; stroke: #c5cad4; }
        svg .span { fill: #3b6fd4; fill-opacity: 0.55; stroke: #2a55a8; stroke-width: 0.5; }
        svg .o1 { fill: #3b6fd4; fill-opacity: 0.25; }
        svg .o2 { fill: #3b6fd4; fill-opacity: 0.45; }
        svg .o3 { fill: #3b6fd4; fill-opacity: 0.7; }
        svg .o4 { fill: #3b6fd4; fill-opacity: 0.95; }
        svg line.fault, svg circle.fault, svg rect.fault { stroke: #d32f2f; fill: #d32f2f; stroke-width: 1.5; }
        svg line.finding, svg rect.finding { stroke: #ef8a00; fill: #ef8a00; stroke-width: 1.5; }
        svg .axis { stroke: #5b6475; }
        svg .break { stroke: #5b6475; stroke-dasharray: 4 3; }
        svg .bar { fill: #3b6fd4; }
        svg .bar.extra { fill: #9aa3b2; }
        svg text { font: 11px system-ui, sans-serif; fill: #1d2330; }
        svg text.small { font-size: 10px; fill: #5b6475; }
        .legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px -2px 12px; }
        """
}
