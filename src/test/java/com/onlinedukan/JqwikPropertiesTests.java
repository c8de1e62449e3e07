package com.onlinedukan;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.onlinedukan.support.ServiceStartersFirst;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.EngineFilter.includeEngines;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Every jqwik property of the suite ({@code StreamPoisonPropertyTests}, {@code OrderApiFuzzTests}),
 * run through the JUnit Platform's launcher by this Jupiter class, so that they run beside the other
 * test classes: the build leaves the jqwik engine out (pom.xml), which would otherwise run them one
 * after another once every Jupiter class has finished. Each property is reported as a test of its
 * own, failing with jqwik's own error (it names the falsified, shrunk sample; jqwik prints its report
 * to the output). An IDE runs a property class directly, as before.
 */
@ServiceStartersFirst.StartsTheService
@Tag("full-stack")
class JqwikPropertiesTests {

    @TestFactory
    Stream<DynamicTest> everyPropertyHolds() {
        LauncherDiscoveryRequest properties = request().selectors(selectPackage(getClass().getPackageName()))
                .filters(includeEngines("jqwik")).build();
        Outcomes outcomes = new Outcomes();
        LauncherFactory.create().execute(properties, outcomes);
        assertThat(outcomes.properties).as("the jqwik properties found and run").isNotEmpty();
        return outcomes.properties.stream().map(property -> DynamicTest.dynamicTest(property.name(), () -> {
            if (property.result().getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                throw new AssertionError(property.name(), property.result().getThrowable().orElse(null));
            }
        }));
    }

    record Property(String name, TestExecutionResult result) {
    }

    static final class Outcomes implements TestExecutionListener {

        final List<Property> properties = new CopyOnWriteArrayList<>();

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            boolean failedContainer = test.isContainer() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
            if (test.isTest() || failedContainer) {
                String name = test.getLegacyReportingName() + " " + test.getUniqueIdObject().getSegments().stream()
                        .filter(segment -> segment.getType().equals("class")).map(UniqueId.Segment::getValue)
                        .findFirst().orElse("");
                properties.add(new Property(name.strip(), result));
            }
        }
    }
}
