/**
 * The service's configuration, one section per adapter group in src/main/config/ (each declares its
 * environment variables with their documentation, its part of Config and its cross-field rules).
 */
export { ConfigError, ENV_SCHEMA, loadConfig, loadConfigOrExit, type Config } from './config/index.js';
