package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

/** Row of crm_api_token: an integration's token; only the SHA-256 of its secret is kept. */
@Entity
@Table(name = "crm_api_token")
public class ApiTokenEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id", updatable = false)
    public UserEntity user;

    @Column(nullable = false, updatable = false)
    public String name;

    /** Public part of the token, to find it. */
    @Column(nullable = false, updatable = false)
    public String prefix;

    @Column(name = "secret_hash", nullable = false, updatable = false)
    public String secretHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
