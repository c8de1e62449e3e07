package com.onlinedukan;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The modules are what the package tree says they are, and only their APIs are used. */
class ModularityTests {

    static final ApplicationModules modules = ApplicationModules.of(OnlineDukanApplication.class);

    @Test
    void modulesDependOnlyOnEachOthersPublicApi() {
        modules.verify();
    }

    @Test
    void documentsTheModules() {
        new Documenter(modules)
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
