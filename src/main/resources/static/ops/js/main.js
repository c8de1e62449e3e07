// The ops page (/ops): wires the panels to the refresh loop. Plain ES modules, served as they are by
// Spring Boot from static/ops/js/ (behind the ops credential, as the page is); no build step.
import { initActionError } from './dom.js';
import { initPipeline } from './pipeline.js';
import { initChart } from './chart.js';
import { initSearch } from './search.js';
import { initDrawer } from './drawer.js';
import { initBulkReplay } from './bulk-replay.js';
import { initDeadLetters } from './dead-letters.js';
import { refresh, soon } from './refresh.js';

initActionError();
initSearch();
initDrawer({ afterAction: soon });
initBulkReplay({ afterAction: soon });
initDeadLetters({ afterAction: soon });
initPipeline({ afterAction: refresh });
initChart();
refresh();
