import { runService } from '@shop/service-host';
import { readConfig } from './config';
import { startService } from './service';

runService(startService, readConfig);
