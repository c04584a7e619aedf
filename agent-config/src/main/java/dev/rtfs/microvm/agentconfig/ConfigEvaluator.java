package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.rtfslang.RtfsException;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.Value;
import java.util.List;

/** Evaluates the {@code --load} files, then the config file, and returns the config file's last value. */
@FunctionalInterface
interface ConfigEvaluator {
    Value evaluate(List<SourceFile> loads, SourceFile main) throws RtfsException;
}
