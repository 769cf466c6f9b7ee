package org.groupcrm.plugins.pipeline.internal;

import java.time.Instant;

/** A comment on an opportunity: a manager's follow-up guidance, or the rep's answer. */
public class CommentDTO {
    public Long id;
    public String text;
    public String author;
    public Instant createdAt;
}
