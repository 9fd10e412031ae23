//! The error that travels from server functions to the browser. It carries no server
//! detail: the cause is logged on the server, the user sees a clear message.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Input that cannot be accepted; the message is already in the user's language.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// The request needs a signed-in user.
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// Too many failed sign-ins; try again after this many minutes.
    #[error("too many attempts")]
    TooManyAttempts(u32),
    #[error("database unavailable")]
    Unavailable,
    /// A request the server cannot read (a malformed body or arguments).
    #[error("bad request")]
    BadRequest,
    /// A request body over the server's limit.
    #[error("request too large")]
    TooLarge,
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server these mean the request could not be read; in the browser, that the
        // answer could not be (a network's login page, a cut connection): a transport error.
        #[cfg(feature = "ssr")]
        match &value {
            ServerFnErrorErr::Deserialization(message) if message.contains("length limit") => {
                return AppError::TooLarge;
            }
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => return AppError::BadRequest,
            _ => {}
        }
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => AppError::NotFound,
            sqlx::Error::PoolTimedOut
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            // PostgreSQL going away: connection exceptions (class 08), shutting down or
            // starting up (57P01–57P03), no connection slots left (53300).
            sqlx::Error::Database(ref db)
                if db.code().is_some_and(|code| {
                    code.starts_with("08") || code.starts_with("57P") || code == "53300"
                }) =>
            {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}
