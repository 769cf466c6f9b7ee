package org.groupcrm.core.internal.persistence;

import java.util.HashSet;
import java.util.Set;

import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.JoinTable;
import javax.persistence.ManyToMany;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

import org.eclipse.persistence.annotations.JoinFetch;
import org.eclipse.persistence.annotations.JoinFetchType;

/** Row of crm_user with its roles and further subsidiaries. */
@Entity
@Table(name = "crm_user")
public class UserEntity extends VersionedEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, updatable = false)
    public String login;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    // joined into every statement that reads users, find included: a user with their subsidiary is one statement
    @ManyToOne(fetch = FetchType.EAGER)
    @JoinFetch(JoinFetchType.OUTER)
    @JoinColumn(name = "home_subsidiary_id")
    public SubsidiaryEntity homeSubsidiary;

    // the collections load when first used, not with every record that names its owner or enterer
    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "crm_user_subsidiary",
            joinColumns = @JoinColumn(name = "user_id"), inverseJoinColumns = @JoinColumn(name = "subsidiary_id"))
    public Set<SubsidiaryEntity> subsidiaries = new HashSet<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "crm_user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role")
    public Set<String> roles = new HashSet<>();

    @Column(nullable = false)
    public boolean enabled = true;

    /** Code of the user's sales team in their home subsidiary, or {@code null}. */
    public String team;

    /** For a sales assistant: the reps they work for. */
    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "crm_user_assistant",
            joinColumns = @JoinColumn(name = "assistant_id"), inverseJoinColumns = @JoinColumn(name = "rep_id"))
    public Set<UserEntity> reps = new HashSet<>();
}
