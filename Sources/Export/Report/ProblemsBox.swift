/// The "what went wrong" box at the top of the report: each kind of problem with its count
/// and first few ops, each linked to the row or chart that shows it (to the kind's table
/// when the row is past the rows shown), or one line saying nothing went wrong.
struct ProblemsBox {
    static let id = "what-went-wrong"

    let problems: ReportProblems
    /// The ids the page has, so no link points nowhere.
    let anchors: Set<String>

    func markup() -> String {
        let groups = problems.groups.filter { $0.count > 0 }
        var html = "<section id=\"\(Self.id)\" class=\"problems \(problems.isClean ? "clean" : "trouble")\" "
            + "data-groups=\"\(groups.map(\.id).joined(separator: " "))\">\n<h2>What went wrong</h2>\n"
        if let stop = problems.recordingStop {
            html += "<p class=\"stop\">Recording: \(HTMLText.escape(stop)).</p>\n"
        }
        if problems.isClean {
            html += "<p>Nothing: the recording finished, and no op faulted, broke the claims it was recorded with, or drew a misuse finding, a kernel warning or a rejection.</p>\n"
        }
        for group in groups { html += markup(group) }
        if let stopped = problems.claimsNotChecked {
            html += "<p class=\"note\">Claims checked only up to where the journal could be read as ops (\(HTMLText.escape(stopped))); "
                + "<code>dmajournal replay</code> compares every op of an imported trace with the model.</p>\n"
        }
        return html + "</section>\n\n"
    }

    private func markup(_ group: ReportProblems.Group) -> String {
        let title = anchors.contains(group.id) ? "<a href=\"#\(group.id)\">\(HTMLText.escape(group.title))</a>" : HTMLText.escape(group.title)
        var html = "<div class=\"group\" data-group=\"\(group.id)\" data-count=\"\(group.count)\">\n<h3>\(title): \(group.count)</h3>\n<ul>\n"
        for item in group.items {
            let target = anchors.contains(item.anchor) ? item.anchor : anchors.contains(group.id) ? group.id : nil
            let text = HTMLText.escape(item.text)
            html += "<li>" + (target.map { "<a href=\"#\($0)\">\(text)</a>" } ?? text)
            if let device = item.device, anchors.contains(DeviceTimeline.anchor(of: device)) {
                html += " <a class=\"chart\" href=\"#\(DeviceTimeline.anchor(of: device))\">(chart of \(HTMLText.escape(device)))</a>"
            }
            html += "</li>\n"
        }
        html += "</ul>\n"
        if group.notShown > 0 {
            let more = group.notShown
            html += "<p class=\"note\">and \(more) more" + (anchors.contains(group.id) ? " (<a href=\"#\(group.id)\">table</a>)" : "") + "</p>\n"
        }
        return html + "</div>\n"
    }
}
