package payments.notification;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.stereotype.Component;

/**
 * Logs notifications instead of sending them: the default until a real channel is wired
 * in.
 */
@Component
@ConditionalOnMissingBean(value = NotificationSender.class, ignored = LoggingNotificationSender.class)
class LoggingNotificationSender implements NotificationSender {

    private static final Log log = LogFactory.getLog(LoggingNotificationSender.class);

    @Override
    public void send(Notification notification) {
        log.info("Notification " + notification.template() + " via " + notification.channel() + " to customer "
                + notification.recipient() + " (order " + notification.orderId()
                + (notification.refundId() == null ? "" : ", refund " + notification.refundId()) + ")");
    }

}
