package org.groupcrm.plugins.pipeline.internal;

import java.time.Instant;

/** One entry of an opportunity's stage history; the first one is its creation ({@code fromStage} null). */
public class StageChangeDTO {
    public String fromStage;
    public String toStage;
    public String changedBy;
    public Instant changedAt;
}
