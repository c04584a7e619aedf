package dev.rtfs.microvm.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reproducible ext4 image of a directory tree: same tree, same bytes, on every run.
 *
 * <p>e2fsprogs 1.47.0 ignores SOURCE_DATE_EPOCH, so the build pins everything that varies:
 * <ul>
 * <li>mkfs.ext4 reads the host's /etc/mke2fs.conf, so it gets our own (MKE2FS_CONFIG) with the Debian ext4
 *     defaults written out, 4 KiB blocks and 256-byte inodes whatever the image size;</li>
 * <li>a fixed UUID, directory hash seed and label, root owned by 0:0, no journal, no reserved blocks;</li>
 * <li>a {@code debugfs -w} pass sets the superblock's wtime, mkfs_time and lastcheck to 0 and, for every used
 *     inode, atime, ctime, mtime and crtime to 0 and uid/gid to 0 (the tree's owner would otherwise leak in);</li>
 * <li>libext2fs stamps s_wtime again when debugfs closes the image and only honours E2FSPROGS_FAKE_TIME when it is
 *     non-zero, so both tools run with E2FSPROGS_FAKE_TIME=1: the final write time is 1970-01-01T00:00:01Z.</li>
 * </ul>
 * The used inodes are read from the inode bitmap as dumpe2fs prints it (each group's "Free inodes:" ranges; every
 * other inode of the group is in use), which is exact also when a tree spans several block groups.
 * mkfs.ext4 -d adds the tree in sorted order (e2fsprogs uses scandir with alphasort), so readdir order does not
 * matter. Every image is checked with {@code e2fsck -fn} before it counts as built.
 */
final class Ext4Image {

    /** The e2fsprogs time override (see the class comment); 0 would mean "use the clock". */
    static final String FAKE_TIME = "1";

    /** Our mke2fs.conf: Debian's ext4 defaults, without the size-dependent usage types ("small" = 1 KiB blocks). */
    static final String MKE2FS_CONF = """
            [defaults]
            \tbase_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
            \tdefault_mntopts = acl,user_xattr
            \tenable_periodic_fsck = 0
            \tblocksize = 4096
            \tinode_size = 256
            \tinode_ratio = 16384

            [fs_types]
            \text4 = {
            \t\tfeatures = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
            \t}
            \trtfs = {
            \t\tinode_ratio = 16384
            \t}
            """;

    private static final Pattern INODES_PER_GROUP = Pattern.compile("(?m)^Inodes per group:\\s+(\\d+)\\s*$");
    private static final Pattern FREE_INODES = Pattern.compile("(?m)^\\s+Free inodes:[ \\t]*(.*)$");

    /** What one image is: its label and UUID (also the directory hash seed) and its size. */
    public record Spec(String label, UUID uuid, long sizeBytes) {
        public Spec {
            Objects.requireNonNull(label);
            Objects.requireNonNull(uuid);
            if (sizeBytes < (1 << 20) || sizeBytes % 4096 != 0) {
                throw new IllegalArgumentException("ext4 image size must be >= 1 MiB and a multiple of 4 KiB: " + sizeBytes);
            }
        }
    }

    private final ImageTools tools;
    private final Path workDir;

    /** @param workDir where the mke2fs.conf and debugfs script go (the build's staging directory) */
    public Ext4Image(ImageTools tools, Path workDir) {
        this.tools = Objects.requireNonNull(tools);
        this.workDir = Objects.requireNonNull(workDir);
    }

    /** The e2fsprogs tools the build needs, for the up-front check. */
    public static List<String> requiredTools() {
        return List.of("mkfs.ext4", "debugfs", "dumpe2fs", "e2fsck");
    }

    /** Builds {@code image} (replaced if present) from {@code tree}, whose times and modes must already be fixed. */
    public void build(Path tree, Path image, Spec spec) throws IOException, ImageBuildException {
        Path conf = workDir.resolve("mke2fs.conf");
        Files.writeString(conf, MKE2FS_CONF, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("MKE2FS_CONFIG", conf.toString(), "E2FSPROGS_FAKE_TIME", FAKE_TIME);
        Files.deleteIfExists(image);
        String uuid = spec.uuid().toString();
        run(env, tool("mkfs.ext4"), "-q", "-F", "-t", "ext4", "-T", "rtfs", "-L", spec.label(), "-U", uuid,
                "-E", "hash_seed=" + uuid + ",root_owner=0:0", "-O", "^has_journal", "-m", "0",
                "-d", tree.toString(), image.toString(), (spec.sizeBytes() / 1024) + "k");

        List<Integer> used = usedInodes(run(env, tool("dumpe2fs"), image.toString()).stdout());
        Path script = workDir.resolve(image.getFileName() + ".debugfs");
        Files.writeString(script, debugfsScript(used), StandardCharsets.UTF_8);
        ImageTools.Result zeroed = run(env, tool("debugfs"), "-w", "-f", script.toString(), image.toString());
        // debugfs exits 0 even when a request fails; anything on stderr beyond its version banner is a failure.
        String complaints = zeroed.stderr().lines().filter(l -> !l.startsWith("debugfs ")).reduce("", (a, b) -> a + b + "; ");
        if (!complaints.isEmpty()) {
            throw new ImageBuildException("debugfs could not normalize " + image.getFileName() + ": " + complaints);
        }
        Files.delete(script);

        ImageTools.Result fsck = tools.run(List.of(tool("e2fsck"), "-fn", image.toString()), env);
        if (!fsck.ok()) {
            throw new ImageBuildException("e2fsck -fn found problems in " + image.getFileName() + ": "
                    + oneLine(fsck.stdout() + fsck.stderr()));
        }
    }

    /** The debugfs requests that zero the superblock times and, for each used inode, its times and owner. */
    static String debugfsScript(List<Integer> usedInodes) {
        StringBuilder s = new StringBuilder("ssv wtime 0\nssv mkfs_time 0\nssv lastcheck 0\n");
        for (int n : usedInodes) {
            for (String field : List.of("atime", "ctime", "mtime", "crtime", "uid", "gid")) {
                s.append("sif <").append(n).append("> ").append(field).append(" 0\n");
            }
        }
        return s.toString();
    }

    /**
     * The used inode numbers from dumpe2fs output: per group (in order), every inode of the group that is not in its
     * "Free inodes:" ranges (e.g. {@code 16-512} or {@code 12, 20-30}, empty when the group is full).
     */
    static List<Integer> usedInodes(String dumpe2fs) throws ImageBuildException {
        Matcher perGroup = INODES_PER_GROUP.matcher(dumpe2fs);
        if (!perGroup.find()) throw new ImageBuildException("dumpe2fs printed no 'Inodes per group' line");
        int ipg = Integer.parseInt(perGroup.group(1));
        List<Integer> used = new ArrayList<>();
        Matcher free = FREE_INODES.matcher(dumpe2fs);
        int group = 0;
        while (free.find()) {
            int first = group * ipg + 1;
            int last = first + ipg - 1;
            boolean[] isFree = new boolean[ipg];
            String ranges = free.group(1).trim();
            if (!ranges.isEmpty()) {
                for (String range : ranges.split(",")) {
                    String[] ends = range.trim().split("-");
                    int a = Integer.parseInt(ends[0].trim());
                    int b = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : a;
                    if (a < first || b > last || a > b) {
                        throw new ImageBuildException("dumpe2fs: free inode range " + range.trim() + " is outside group " + group);
                    }
                    for (int i = a; i <= b; i++) isFree[i - first] = true;
                }
            }
            for (int i = 0; i < ipg; i++) if (!isFree[i]) used.add(first + i);
            group++;
        }
        if (group == 0) throw new ImageBuildException("dumpe2fs printed no group with 'Free inodes:'");
        return used;
    }

    private String tool(String name) throws ImageBuildException {
        return tools.locate(name).orElseThrow(() -> ImageBuildException.missing(name + " is not installed", "e2fsprogs"))
                .toString();
    }

    private ImageTools.Result run(Map<String, String> env, String... argv) throws IOException, ImageBuildException {
        ImageTools.Result r = tools.run(List.of(argv), env);
        if (!r.ok()) {
            throw new ImageBuildException(Path.of(argv[0]).getFileName() + " failed (exit " + r.exit() + "): "
                    + oneLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        }
        return r;
    }

    private static String oneLine(String s) {
        String joined = String.join("; ", s.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        return joined.length() > 400 ? joined.substring(0, 400) + "…" : joined;
    }
}
