package dev.rtfs.microvm.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"rtfs-microvm " + (v == null ? "0.1.0-SNAPSHOT" : v),
            "JVM: ${java.version} (${java.vendor} ${java.vm.name})"};
    }
}
