package dev.rtfs.microvm.config;

import dev.rtfs.microvm.lang.RtfsException;
import dev.rtfs.microvm.lang.SourceFile;
import dev.rtfs.microvm.lang.Value;
import java.util.List;

/** Evaluates the {@code --load} files, then the config file, and returns the config file's last value. */
@FunctionalInterface
public interface ConfigEvaluator {
    Value evaluate(List<SourceFile> loads, SourceFile main) throws RtfsException;
}
