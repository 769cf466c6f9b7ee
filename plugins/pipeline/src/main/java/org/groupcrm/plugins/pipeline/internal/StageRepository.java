package org.groupcrm.plugins.pipeline.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.plugins.pipeline.internal.Stages.Outcome;

/** A subsidiary's stages: seeded from the reference process, adapted by its managers, compared with the reference. */
public final class StageRepository {
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private StageRepository() {
    }

    /** A stage row. */
    public record Stage(long id, String code, String name, int position, int probability, Outcome outcome,
            boolean active) {
        StageDTO dto() {
            StageDTO d = StageDTO.of(code, name, probability, outcome);
            d.position = position;
            d.active = active;
            return d;
        }
    }

    /** Seeds the reference stages unless the subsidiary has stages already (idempotent, keeps adaptations). */
    static void seedReference(Db db, String subsidiary) {
        db.tx((c, events) -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "pipeline-stages/" + subsidiary);
                lock.execute();
            }
            if (!all(c, subsidiary).isEmpty()) {
                return null;
            }
            int position = 1;
            for (StageDTO s : Stages.REFERENCE) {
                insert(c, subsidiary, s, position++);
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO pipeline_settings (subsidiary) VALUES (?) ON CONFLICT DO NOTHING")) {
                p.setString(1, subsidiary);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** @return every stage of the subsidiary (active ones first, in order; then the retired ones) */
    static List<Stage> all(Connection c, String subsidiary) throws SQLException {
        List<Stage> stages = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, code, name, position, probability, outcome, active"
                + " FROM pipeline_stage WHERE subsidiary = ? ORDER BY active DESC, position, id")) {
            p.setString(1, subsidiary);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    stages.add(new Stage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                            Outcome.valueOf(rs.getString(6)), rs.getBoolean(7)));
                }
            }
        }
        return stages;
    }

    static List<Stage> active(Connection c, String subsidiary) throws SQLException {
        return all(c, subsidiary).stream().filter(Stage::active).toList();
    }

    /** @return the active stage with {@code code} */
    static Optional<Stage> byCode(Connection c, String subsidiary, String code) throws SQLException {
        return active(c, subsidiary).stream().filter(s -> s.code().equals(code)).findFirst();
    }

    static Stage byId(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id, code, name, position, probability, outcome, active"
                + " FROM pipeline_stage WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("stage " + id + " is missing");
                }
                return new Stage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        Outcome.valueOf(rs.getString(6)), rs.getBoolean(7));
            }
        }
    }

    /** @return the one active stage with {@code outcome} (WON or LOST), or the first OPEN one */
    static Stage first(Connection c, String subsidiary, Outcome outcome) throws SQLException {
        return active(c, subsidiary).stream().filter(s -> s.outcome() == outcome).findFirst()
                .orElseThrow(() -> new ConflictException("pipeline_not_set_up",
                        "the subsidiary's pipeline has no " + outcome + " stage; set up its stages first"));
    }

    /**
     * Replaces the subsidiary's pipeline with {@code stages}, in that order: known codes are updated, new ones added,
     * missing ones retired (kept for the history). A stage that still holds open opportunities cannot be retired.
     *
     * @throws org.groupcrm.core.api.ForbiddenException ({@code missing_right}) the caller lacks the MODIFY right over
     *                                                  {@link PipelineModule#STAGE}; nothing is read or written
     */
    static List<StageDTO> replace(PipelineModule module, RightsService rights, CallerContext caller,
            List<StageDTO> stages) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.STAGE, Right.MODIFY);
        validate(stages);
        return module.db().tx((c, events) -> {
            Map<String, Object> before = described(active(c, subsidiary));
            Map<String, Stage> existing = new HashMap<>();
            for (Stage s : all(c, subsidiary)) {
                existing.put(s.code(), s);
            }
            Set<String> keep = new HashSet<>();
            stages.forEach(s -> keep.add(s.code));
            for (Stage s : existing.values()) {
                if (s.active() && !keep.contains(s.code())) {
                    long open = openOpportunities(c, s.id());
                    if (open > 0) {
                        throw new ConflictException("stage_in_use", "stage " + s.code() + " still holds " + open
                                + " open opportunities; move them first");
                    }
                }
            }
            // retire all, then reactivate and renumber the ones in the new list (retired ones keep their last place)
            try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_stage SET active = FALSE WHERE subsidiary = ?")) {
                p.setString(1, subsidiary);
                p.executeUpdate();
            }
            int position = 1;
            for (StageDTO s : stages) {
                Stage old = existing.get(s.code);
                int probability = s.probability != null ? s.probability
                        : old != null ? old.probability() : defaultProbability(s.outcome);
                StageDTO row = StageDTO.of(s.code, s.name.strip(), probability, s.outcome);
                if (old == null) {
                    insert(c, subsidiary, row, position++);
                } else {
                    try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_stage SET name = ?, position = ?,"
                            + " probability = ?, outcome = ?, active = TRUE WHERE id = ?")) {
                        p.setString(1, row.name);
                        p.setInt(2, position++);
                        p.setInt(3, probability);
                        p.setString(4, row.outcome.name());
                        p.setLong(5, old.id());
                        p.executeUpdate();
                    }
                }
            }
            List<Stage> now = active(c, subsidiary);
            module.auditConfiguration(c, caller, "stages", subsidiary, before, described(now));
            return now.stream().map(Stage::dto).toList();
        });
    }

    /** @return each stage's code with its place, name, probability and outcome, as the audit trail keeps them */
    private static Map<String, Object> described(List<Stage> stages) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (Stage s : stages) {
            d.put(s.code(), "#" + s.position() + " " + s.name() + " (" + s.probability() + " %, " + s.outcome() + ")");
        }
        return d;
    }

    /** A difference between the subsidiary's pipeline and the reference process. */
    public record Difference(String code, String change, StageDTO reference, StageDTO subsidiary) {
    }

    /**
     * @return how the subsidiary's active stages differ from the reference: stages ADDED (not in the reference),
     *         REMOVED (reference stages it does not use), CHANGED (name, probability or outcome) and MOVED (another
     *         place among the stages both have)
     */
    static List<Difference> differences(List<StageDTO> subsidiary) {
        Map<String, StageDTO> reference = new LinkedHashMap<>();
        Stages.REFERENCE.forEach(s -> reference.put(s.code, s));
        Map<String, StageDTO> own = new LinkedHashMap<>();
        subsidiary.forEach(s -> own.put(s.code, s));
        List<String> commonReference = reference.keySet().stream().filter(own::containsKey).toList();
        List<String> commonOwn = own.keySet().stream().filter(reference::containsKey).toList();
        List<Difference> result = new ArrayList<>();
        for (StageDTO s : subsidiary) {
            StageDTO r = reference.get(s.code);
            if (r == null) {
                result.add(new Difference(s.code, "ADDED", null, s));
                continue;
            }
            if (!r.name.equals(s.name) || !r.probability.equals(s.probability) || r.outcome != s.outcome) {
                result.add(new Difference(s.code, "CHANGED", r, s));
            }
            if (commonReference.indexOf(s.code) != commonOwn.indexOf(s.code)) {
                result.add(new Difference(s.code, "MOVED", r, s));
            }
        }
        for (StageDTO r : Stages.REFERENCE) {
            if (!own.containsKey(r.code)) {
                result.add(new Difference(r.code, "REMOVED", r, null));
            }
        }
        return result;
    }

    static void validate(List<StageDTO> stages) {
        Checks checks = new Checks();
        if (stages == null || stages.isEmpty()) {
            checks.fail("stages", "at least one open, one won and one lost stage are required").done();
            return;
        }
        if (stages.size() > 30) {
            checks.fail("stages", "at most 30 stages");
        }
        Set<String> codes = new HashSet<>();
        Map<Outcome, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            StageDTO s = stages.get(i);
            String at = "stages[" + i + "].";
            if (s == null) {
                checks.fail("stages[" + i + "]", "must be a stage");
                continue;
            }
            if (s.code == null || !CODE.matcher(s.code).matches()) {
                checks.fail(at + "code", "must be lower case letters, digits and '-', starting with a letter (1 to 40)");
            } else if (!codes.add(s.code)) {
                checks.fail(at + "code", "appears twice: " + s.code);
            }
            checks.text(at + "name", s.name, 100).probability(at + "probability", s.probability);
            if (s.outcome == null) {
                checks.fail(at + "outcome", "must be OPEN, WON or LOST");
            } else {
                outcomes.merge(s.outcome, 1, Integer::sum);
            }
            if (s.position != null || s.active != null) {
                checks.fail(at + (s.position != null ? "position" : "active"), "is not set by clients: the order of the list decides");
            }
        }
        checks.require(outcomes.getOrDefault(Outcome.OPEN, 0) >= 1, "stages", "at least one OPEN stage is required")
                .require(outcomes.getOrDefault(Outcome.WON, 0) == 1, "stages", "exactly one WON stage is required")
                .require(outcomes.getOrDefault(Outcome.LOST, 0) == 1, "stages", "exactly one LOST stage is required")
                .done();
    }

    private static int defaultProbability(Outcome outcome) {
        return outcome == Outcome.WON ? 100 : outcome == Outcome.LOST ? 0 : 50;
    }

    private static long openOpportunities(Connection c, long stageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pipeline_opportunity WHERE stage_id = ?"
                + " AND status = 'OPEN' AND NOT archived")) {
            p.setLong(1, stageId);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void insert(Connection c, String subsidiary, StageDTO s, int position) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_stage (subsidiary, code, name, position,"
                + " probability, outcome) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, subsidiary);
            p.setString(2, s.code);
            p.setString(3, s.name);
            p.setInt(4, position);
            p.setInt(5, s.probability);
            p.setString(6, s.outcome.name());
            p.executeUpdate();
        }
    }

    static ValidationException unknownStage(String field, String code) {
        return new ValidationException(field, "no active stage '" + code + "' in this subsidiary's pipeline");
    }
}
