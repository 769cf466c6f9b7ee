package org.groupcrm.core.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostmasterPidFileTest {

    /** As PostgreSQL 16 writes it (pid, data dir, start time, port, socket dir, listen address, shmem key, status). */
    static final String SAMPLE = "4711\n/opt/crm/data/postgresql\n1732370000\n45123\n\n127.0.0.1\n"
            + "  1234567     65538\nready   \n";

    @Test
    void parsesPidDataDirAndPort() {
        PostmasterPidFile f = PostmasterPidFile.parse(SAMPLE).orElseThrow();
        assertEquals(4711, f.pid());
        assertEquals("/opt/crm/data/postgresql", f.dataDir());
        assertEquals(OptionalInt.of(45123), f.port());
    }

    @Test
    void singleUserBackendWritesANegativePid() {
        assertEquals(99, PostmasterPidFile.parse("-99\n/d\n").orElseThrow().pid());
    }

    @Test
    void toleratesTruncatedFiles() {
        PostmasterPidFile f = PostmasterPidFile.parse("4711").orElseThrow();
        assertEquals(4711, f.pid());
        assertEquals("", f.dataDir());
        assertFalse(f.port().isPresent());
        assertEquals(OptionalInt.empty(), PostmasterPidFile.parse("4711\r\n/d\r\n1\r\nnope\r\n").get().port());
        assertEquals("/d", PostmasterPidFile.parse("4711\r\n/d\r\n").get().dataDir());
    }

    @Test
    void rejectsGarbage() {
        assertFalse(PostmasterPidFile.parse("").isPresent());
        assertFalse(PostmasterPidFile.parse("\n/d\n").isPresent());
        assertFalse(PostmasterPidFile.parse("abc\n").isPresent());
        assertFalse(PostmasterPidFile.parse("0\n").isPresent());
        assertFalse(PostmasterPidFile.parse(null).isPresent());
    }

    @Test
    void readsFromTheDataDirectory(@TempDir Path dir) throws Exception {
        assertFalse(PostmasterPidFile.read(dir).isPresent());
        Files.writeString(dir.resolve(PostmasterPidFile.FILE_NAME), SAMPLE);
        assertTrue(PostmasterPidFile.read(dir).isPresent());
    }
}
