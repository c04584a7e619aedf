package dev.rtfs.microvm.egressproxy.acldir;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AclFile;
import dev.rtfs.microvm.egresspolicy.acl.AclFormatException;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ACL directory ({@code --acl-dir}): every regular file {@code *.json} directly in it, symlinks followed (kubelet
 * projects a ConfigMap as {@code name -> ..data/name}), names starting with "." ignored, read in name order. Each
 * is an ACL file or one agent's document (docs/egress-acl.md); their agents are merged, an agent id or a
 * ServiceAccount in two files is refused naming both. The digest covers names and contents, so a change of either
 * is seen.
 */
public final class AclDirectory {

    /** Per file; an agent's ACL is a few KiB. */
    static final int MAX_FILE_BYTES = 1 << 20;
    static final int MAX_FILES = 10_000;

    /** What a read gave: the merged ACLs and their digest, or why the directory is refused. */
    public sealed interface Read {
        record Loaded(AclFile acls, String digest) implements Read {}

        record Refused(String reason) implements Read {}
    }

    private AclDirectory() {}

    public static Read read(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                    files.add(p);
                }
                if (files.size() > MAX_FILES) {
                    return new Read.Refused(dir + ": more than " + MAX_FILES + " ACL files");
                }
            }
        } catch (IOException e) {
            return new Read.Refused(dir + ": cannot list the ACL directory: " + e.getMessage());
        }
        files.sort(null);
        MessageDigest digest = sha256();
        Map<String, AgentAcl> agents = new LinkedHashMap<>();
        Map<String, String> agentFile = new LinkedHashMap<>();
        Map<String, String> accountFile = new LinkedHashMap<>();
        Map<String, List<InetAddress>> resolve = new LinkedHashMap<>();
        EnforcementMode mode = null;
        String modeFile = null;
        for (Path f : files) {
            String name = f.getFileName().toString();
            byte[] bytes;
            try {
                bytes = readBounded(f);
            } catch (IOException e) {
                return new Read.Refused(f + ": unreadable: " + e.getMessage());
            }
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(bytes);
            AclFile acl;
            try {
                acl = AclCodec.parseFileOrAgent(new String(bytes, StandardCharsets.UTF_8));
            } catch (AclFormatException e) {
                return new Read.Refused(name + ": " + e.getMessage());
            }
            if (mode != null && acl.mode() != mode) {
                return new Read.Refused(name + ": mode " + acl.mode().jsonName() + " differs from "
                        + mode.jsonName() + " in " + modeFile);
            }
            mode = acl.mode();
            modeFile = name;
            for (AgentAcl a : acl.agents().values()) {
                String prev = agentFile.putIfAbsent(a.agentId(), name);
                if (prev != null) {
                    return new Read.Refused("agent \"" + a.agentId() + "\" is in both " + prev + " and " + name);
                }
                if (a.serviceAccount().isPresent()) {
                    String other = accountFile.putIfAbsent(a.serviceAccount().get(), name);
                    if (other != null) {
                        return new Read.Refused("service_account " + a.serviceAccount().get() + " is in both "
                                + other + " and " + name);
                    }
                }
                agents.put(a.agentId(), a);
            }
            for (Map.Entry<String, List<InetAddress>> e : acl.resolve().entrySet()) {
                if (resolve.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    return new Read.Refused(name + ": resolve entry " + e.getKey() + " is given by another file too");
                }
            }
        }
        AclFile merged = new AclFile(mode == null ? EnforcementMode.ENFORCE : mode, agents, resolve);
        return new Read.Loaded(merged, HexFormat.of().formatHex(digest.digest()));
    }

    private static byte[] readBounded(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = in.readNBytes(MAX_FILE_BYTES + 1);
            if (b.length > MAX_FILE_BYTES) {
                throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
            }
            return b;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
