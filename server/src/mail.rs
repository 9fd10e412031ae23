//! E-mail: copies of the in-app notices (report reminders, late digests, reports sent back,
//! plans issued) sent by SMTP when `ANTQ_SMTP_URL` is set. The notices themselves are
//! written with the change that caused them; the mailer only reads what is waiting, so a
//! mail server that is down delays e-mail and never loses a notice.

use anyhow::Context;
use app::store::mail::{self, Outgoing};
use app::store::Db;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::Address;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Notices older than this when the mailer first sees them are left in-app only, so
/// turning e-mail on does not send a year of history.
const LOOK_BACK: chrono::Duration = chrono::Duration::days(1);
/// Mails per run; the next run takes the rest.
const BATCH: i64 = 200;

/// The mail settings, from the environment.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:25`, `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465`.
    pub url: String,
    /// The sender, `Name <address>`.
    pub from: String,
    /// Where the links in a mail point, such as `https://antq.sogd.example.vn`.
    pub public_url: String,
}

impl MailSettings {
    /// `None` when `ANTQ_SMTP_URL` is not set: notices stay in-app only.
    pub fn from_env(default_public_url: &str) -> Option<MailSettings> {
        let url = std::env::var("ANTQ_SMTP_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())?;
        Some(MailSettings {
            url,
            from: std::env::var("ANTQ_MAIL_FROM")
                .unwrap_or_else(|_| "ANTQ <no-reply@localhost>".into()),
            public_url: std::env::var("ANTQ_PUBLIC_URL")
                .unwrap_or_else(|_| default_public_url.into()),
        })
    }
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MailRun {
    pub sent: usize,
    pub failed: usize,
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
            .context("ANTQ_SMTP_URL must look like smtp://host:25 or smtps://user:pass@host")?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = settings
            .from
            .parse()
            .context("ANTQ_MAIL_FROM must look like ANTQ <no-reply@example.vn>")?;
        Ok(Mailer {
            transport,
            from,
            public_url: settings.public_url.trim_end_matches('/').to_string(),
        })
    }

    /// Mails every notice waiting since `now - 1 day` to each of its recipients.
    pub async fn deliver_pending(
        &self,
        db: &Db,
        now: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<MailRun> {
        let since = (now - LOOK_BACK).format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut run = MailRun::default();
        for outgoing in mail::pending(db, &since, BATCH).await? {
            let outcome = match self.message(&outgoing) {
                Ok(message) => self
                    .transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match &outcome {
                Ok(()) => run.sent += 1,
                Err(error) => {
                    run.failed += 1;
                    tracing::warn!(to = %outgoing.address, %error, "e-mail not delivered");
                }
            }
            mail::record(db, &outgoing, outcome).await?;
        }
        Ok(run)
    }

    fn message(&self, mail: &Outgoing) -> anyhow::Result<Message> {
        let address: Address = mail
            .address
            .parse()
            .with_context(|| format!("the address {} cannot be mailed", mail.address))?;
        let to = Mailbox::new(Some(mail.full_name.clone()), address);
        let body = format!(
            "Kính gửi {name},\n\n{title}\n\nXem chi tiết: {base}{link}\n\n\
             --\nThư gửi tự động từ hệ thống Toàn dân bảo vệ an ninh Tổ quốc (ANTQ). \
             Vui lòng không trả lời thư này.\n",
            name = mail.full_name,
            title = mail.title,
            base = self.public_url,
            link = mail.link,
        );
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!("[ANTQ] {}", mail.title))
            .singlepart(
                // Quoted-printable keeps the Vietnamese text readable in any mail client's
                // source view and passes every relay.
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(body),
            )?)
    }
}
