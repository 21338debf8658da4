/// `dmajournal capture --print-setup`: the same capture as a POSIX shell script, for a
/// machine without the tool. It makes the changes `TracefsSession` makes (an instance of
/// its own, the probe definitions, the enable writes), streams `trace_pipe` into a file
/// with the header `dmajournal import` reads, and undoes everything on exit, Ctrl-C and
/// SIGTERM included (`trap`). Its `teardown` alone undoes a killed run.
public enum SetupScript {
    public static func render(style: ProbeStyle?, options: CaptureOptions, toolVersion: String) -> String {
        let instance = "instances/\(options.instanceName)"
        let probes = style.map { ProbeDefinitions.lines($0, group: options.probeGroup) } ?? []
        var enables = options.events.map(\.enablePath)
        if style != nil { enables.append("events/\(options.probeGroup)/enable") }
        var out: [String] = []
        func add(_ line: String = "") { out.append(line) }

        add("#!/bin/sh")
        add("# Printed by `\(toolVersion) capture --print-setup`\(style.map { " (\($0.label))" } ?? " (tracepoints only)").")
        add("# Records \(options.events.map(\.description).joined(separator: ", "))\(style == nil ? "" : " and the dma_iova_* calls") from this kernel into a text file")
        add("# that `dmajournal import FILE --journal J.db` reads. As root:")
        add("#   sh capture.sh OUTPUT.txt [COMMAND ARGS...]   traces until COMMAND exits, or until Ctrl-C")
        add("#   sh capture.sh --teardown                     undoes what a killed run left")
        add("# Needs tracefs\(style == .fprobe ? ", CONFIG_FPROBE_EVENTS and CONFIG_PROBE_EVENTS_BTF_ARGS (BTF)" : style == nil ? "" : ", CONFIG_KPROBE_EVENTS") and no lockdown=confidentiality.")
        add("set -u")
        add("T=${TRACEFS:-/sys/kernel/tracing}")
        add("[ -e \"$T/events\" ] || mount -t tracefs nodev \"$T\" 2>/dev/null || T=/sys/kernel/debug/tracing")
        add("I=$T/\(instance)")
        add()
        add("setup() {")
        add("  mkdir \"$I\" || { echo \"$I exists: another capture, or a killed one (sh $0 --teardown)\" >&2; exit 1; }")
        add("  echo 0 > \"$I/tracing_on\"")
        for (option, value) in TracefsSession.requiredOptions {
            add("  [ -e \"$I/options/\(option)\" ] && echo \(value) > \"$I/options/\(option)\"")
        }
        if let size = options.bufferKilobytes { add("  echo \(size) > \"$I/buffer_size_kb\"") }
        for probe in probes {
            add("  echo \(shellQuoted(probe.line)) >> \"$T/dynamic_events\" || refused \(probe.event)")
        }
        for path in enables {
            add("  [ -e \"$I/\(path)\" ] && echo 1 > \"$I/\(path)\"")
        }
        add("}")
        add()
        add("refused() {   # the kernel's reason is the last entry of error_log")
        add("  echo \"probe $1 refused: $(tail -n 3 \"$T/error_log\" | head -n 1)\" >&2")
        add("  teardown; exit 1")
        add("}")
        add()
        add("teardown() {   # reverse order: events off, probes removed, instance removed")
        add("  echo 0 > \"$I/tracing_on\" 2>/dev/null")
        for path in enables.reversed() {
            add("  echo 0 > \"$I/\(path)\" 2>/dev/null")
        }
        for probe in probes.reversed() {
            add("  echo \(shellQuoted(ProbeDefinitions.removal(group: options.probeGroup, event: probe.event))) >> \"$T/dynamic_events\" 2>/dev/null")
        }
        add("  rmdir \"$I\" 2>/dev/null")
        add("  grep -q '^[^ ]*:\(options.probeGroup)/' \"$T/dynamic_events\" 2>/dev/null && echo \"probes of group \(options.probeGroup) are still defined\" >&2")
        add("  [ -e \"$I\" ] && echo \"$I is still there\" >&2")
        add("  return 0")
        add("}")
        add()
        add("facts() {   # the header dmajournal import reads: kernel, command line, CPUs, IOMMU groups")
        add("  echo \"# kernel $(uname -r) | \(toolVersion) capture --print-setup script | \(style?.label ?? "no probes (tracepoints only)") | tracefs: $I | started $(date -u +%Y-%m-%dT%H:%M:%SZ)\"")
        add("  echo \"# uname: $(uname -a)\"")
        add("  echo \"# cmdline: $(cat /proc/cmdline)\"")
        add("  echo \"# cpus: $(grep -c ^processor /proc/cpuinfo)\"")
        add("  for g in /sys/kernel/iommu_groups/*; do")
        add("    [ -e \"$g/type\" ] && echo \"# iommu_group ${g##*/}: type=$(cat \"$g/type\") devices=$(ls \"$g/devices\" | tr '\\n' ' ')\"")
        add("  done")
        add("  dmesg 2>/dev/null | grep -iE 'iommu|dmar|amd-vi|smmu|dma|swiotlb|command line' | sed 's/^/# dmesg: /'")
        add("  grep \"^[^ ]*:\(options.probeGroup)/\" \"$T/dynamic_events\" 2>/dev/null | sed 's/^/# probe defined: /'")
        add("}")
        add()
        add("if [ \"${1:-}\" = --teardown ]; then teardown; exit 0; fi")
        add("out=${1:?usage: sh $0 OUTPUT.txt [COMMAND ARGS...] | sh $0 --teardown}; shift")
        add("setup")
        add("facts > \"$out\"")
        add("cat \"$I/trace_pipe\" >> \"$out\" &")
        add("reader=$!")
        add("stop() {")
        add("  trap '' INT TERM HUP")
        add("  echo 0 > \"$I/tracing_on\"")
        add("  sleep 1; kill $reader 2>/dev/null; wait $reader 2>/dev/null")
        add("  grep -v '^#' \"$I/trace\" >> \"$out\"   # what the reader had not taken yet")
        add("  for s in \"$I\"/per_cpu/cpu*/stats; do echo \"# trace stats $(basename \"$(dirname \"$s\")\"): $(tr '\\n' ';' < \"$s\")\" >> \"$out\"; done")
        add("  teardown")
        add("  echo \"capture in $out: dmajournal import $out --journal capture.db\" >&2")
        add("}")
        add("trap 'stop; exit 130' INT")
        add("trap 'stop; exit 143' TERM HUP")
        add("echo 1 > \"$I/tracing_on\"")
        add("if [ $# -gt 0 ]; then \"$@\"; status=$?; else echo 'tracing: Ctrl-C stops' >&2; while :; do sleep 1; done; fi")
        add("stop")
        add("exit $status")
        return out.joined(separator: "\n") + "\n"
    }

    /// Single-quotes a word for sh.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
