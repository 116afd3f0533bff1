package com.advwell.replica;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The deployment of the Arquillian tests: the replica WAR exactly as the build made it. */
final class ReplicaWar {

    private ReplicaWar() {}

    /**
     * As {@code ROOT.war}: Payara Micro deploys it at "/", as scripts/replica does with --contextroot /; only there do
     * Payara's own /health, /metrics and /openapi answer their errors through the application's error page.
     */
    static WebArchive asBuilt() {
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                .importFrom(new File(System.getProperty("advwell.war")))
                .as(WebArchive.class);
    }
}
