package org.groupcrm.core.db.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What the orphan check needs to know about a process; a fake in unit tests. */
interface ProcessInspector {

    /** True while the process exists and is not a zombie. */
    boolean isAlive(long pid);

    /** The process's argv (argv[0] first), empty when it cannot be read. */
    Optional<List<String>> commandLine(long pid);

    /** The executable's path, empty when it cannot be read. */
    Optional<String> executable(long pid);

    /** When the process started, empty when unknown. */
    default Optional<Instant> startTime(long pid) {
        return ProcessHandle.of(pid).flatMap(ph -> ph.info().startInstant());
    }

    /** The real thing: {@code /proc} where available, {@link ProcessHandle} otherwise. */
    ProcessInspector LIVE = new ProcessInspector() {

        @Override
        public boolean isAlive(long pid) {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            if (Files.isReadable(stat)) {
                try {
                    String s = Files.readString(stat, StandardCharsets.UTF_8);
                    int end = s.lastIndexOf(')');
                    if (end > 0 && end + 2 < s.length()) {
                        char state = s.charAt(end + 2);
                        return state != 'Z' && state != 'X' && state != 'x';
                    }
                } catch (IOException e) {
                    // vanished meanwhile, or unreadable: ask ProcessHandle
                }
            }
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        @Override
        public Optional<List<String>> commandLine(long pid) {
            Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
            if (Files.isReadable(cmdline)) {
                try {
                    String raw = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
                    List<String> args = new ArrayList<>(Arrays.asList(raw.split("\0")));
                    args.removeIf(String::isEmpty);
                    return args.isEmpty() ? Optional.empty() : Optional.of(args);
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
            return ProcessHandle.of(pid).map(ProcessHandle::info).flatMap(info -> info.command().map(cmd -> {
                List<String> args = new ArrayList<>();
                args.add(cmd);
                info.arguments().ifPresent(a -> args.addAll(Arrays.asList(a)));
                return args;
            }));
        }

        @Override
        public Optional<String> executable(long pid) {
            return ProcessHandle.of(pid).flatMap(ph -> ph.info().command());
        }
    };
}
