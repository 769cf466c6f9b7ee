package org.groupcrm.plugins.pipeline.internal;

/** A stage of a subsidiary's pipeline, in order. */
public class StageDTO {
    /** Stable code, lower case letters, digits and '-', unique in the subsidiary. */
    public String code;
    public String name;
    /** 1-based position in the pipeline (answers only; the order of the list decides). */
    public Integer position;
    /** Default probability (0–100) of an opportunity entering the stage. */
    public Integer probability;
    public Stages.Outcome outcome;
    /** Whether the stage is in use; a stage taken out of the pipeline stays for the history (answers only). */
    public Boolean active;

    static StageDTO of(String code, String name, int probability, Stages.Outcome outcome) {
        StageDTO s = new StageDTO();
        s.code = code;
        s.name = name;
        s.probability = probability;
        s.outcome = outcome;
        return s;
    }
}
