package com.advwell.testsupport;

import com.advwell.platform.db.Migrations;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A schema of its own on the real PostgreSQL, migrated to the application's schema before a test class's first test
 * and dropped after its last: {@code @RegisterExtension static final MigratedSchema DB = new MigratedSchema("it_x");}
 * for tests of the JDBC ledgers, which need the tables and nothing else.
 */
public final class MigratedSchema implements BeforeAllCallback, AfterAllCallback {

    private final String schema;
    private final PGSimpleDataSource dataSource;

    public MigratedSchema(String prefix) {
        schema = TestServices.uniqueName(prefix);
        dataSource = TestServices.dataSource(schema);
    }

    public PGSimpleDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Migrations.migrate(dataSource, schema);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        TestServices.dropSchema(schema);
    }
}
