//! placeholder until the desktop shell lands
