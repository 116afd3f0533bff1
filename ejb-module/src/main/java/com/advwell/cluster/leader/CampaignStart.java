package com.advwell.cluster.leader;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/** Starts the leader campaign once the database schema is migrated (after {@code Migrations}). */
@Singleton
@Startup
@DependsOn("Migrations")
public class CampaignStart {

    @Inject
    LeaderElection election;

    @PostConstruct
    void start() {
        election.startCampaign();
    }
}
