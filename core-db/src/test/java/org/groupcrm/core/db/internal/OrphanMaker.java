package org.groupcrm.core.db.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Run in a child JVM by {@link OrphanTest}: starts PostgreSQL, writes a row, reports the postmaster and
 * waits to be killed (kill -9), leaving the postmaster behind as an orphan.
 */
public final class OrphanMaker {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        EmbeddedPostgresManager pg = new EmbeddedPostgresManager(
                EmbeddedPostgresManager.Options.forDataDir(dataDir).binDir(Path.of(args[1])));
        pg.start();
        try (Connection c = pg.dataSource("crm").getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE survivor (name text)");
            st.execute("INSERT INTO survivor VALUES ('written before kill -9')");
        }
        System.out.println("READY " + PostmasterPidFile.read(dataDir).orElseThrow().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
