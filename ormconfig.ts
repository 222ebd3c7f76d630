import 'reflect-metadata';
import { loadConfig } from './src/config';
import { EMBEDDED_DATABASE } from './src/db/database';
import { createDataSource } from './src/db/data-source';
import { DATA_MODEL } from './src/server/data-model';
import { embeddedUrl } from './src/db/embedded';
import { embeddedPassword } from './src/db/embedded-install';

/**
 * For the TypeORM CLI (`npx typeorm-ts-node-commonjs -d ormconfig.ts migration:show`): the same
 * DataSource the app uses, on DATABASE_URL or on the embedded server while `npm start` runs it.
 * `npm run migration:run` and `npm run migration:generate` need neither: they start the
 * embedded server themselves.
 */
const config = loadConfig();
export default createDataSource(config.databaseUrl ?? embeddedUrl(config.embeddedPort, EMBEDDED_DATABASE, embeddedPassword(config.dataDir)), DATA_MODEL);
