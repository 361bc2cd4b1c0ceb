import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeService } from './contract';

let pg: PostgresCluster;
afterAll(() => pg?.stop());

describeService('postgres', async () => {
  pg = await startPostgres();
  return { store: ['--postgres', pg.url(await pg.createDatabase('serve'))] };
});
