//! Loading and validating the configuration file.
