# Build: ./mvnw package, then docker build -t onlinedukan .
FROM eclipse-temurin:21-jre
WORKDIR /app
COPY target/onlinedukan.jar /app/onlinedukan.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/onlinedukan.jar"]
