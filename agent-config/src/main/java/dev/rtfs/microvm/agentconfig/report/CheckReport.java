package dev.rtfs.microvm.agentconfig.report;

import java.util.List;

/** Everything one command found, file by file, in the order the files were given. */
public record CheckReport(List<FileReport> files) {
    public CheckReport {
        files = List.copyOf(files);
    }

    /** True when every file is valid: the command exits 0. */
    public boolean valid() {
        return files.stream().allMatch(FileReport::valid);
    }
}
